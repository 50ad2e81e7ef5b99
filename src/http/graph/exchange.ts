import type { Context } from 'koa'
import type { Action, Machine, Principal } from '../../fsm/types.ts'
import type { ResourceType } from '../../resource.ts'
import type { HistoryRow, ResourceRow, Store } from '../../store/types.ts'
import type { CollectionView, Representor, ResourceView } from '../../../representors/types.ts'
import type { RawBody } from '../protocol/body.ts'
import type { DecisionContext, Hooks, RouteKind } from '../../hooks.ts'
import type { RateLimit, RateLimiter } from '../../auth/rate-limit.ts'
import type { TokenResolver } from '../../auth/bearer.ts'
import type { Cursors } from '../features/cursor.ts'
import type { CompiledType } from '../schemas.ts'
import type { HostRules } from '../protocol/origin.ts'
import type { Operations } from '../../ops/operations.ts'

/** A resource type with its compiled schemas. */
export interface TypeEntry {
  readonly type: ResourceType
  readonly compiled: CompiledType
  /** The graph's answers on each route of this type: the route's own, under the type's hooks. */
  readonly hooks: Readonly<Record<'collection' | 'item' | 'history' | 'action', Answers>>
  /** Link field templates of this type in this app (see item-links.ts): they hold the app's paths, so no other app may share them. */
  readonly linkTemplates: Map<string, readonly string[]>
}

export type { RouteKind }

/** The graph's form of the hooks: asked of the whole exchange, so that built-in answers may remember what they find. */
export type Answers = { readonly [Q in keyof Hooks]: (x: Exchange) => ReturnType<Hooks[Q]> }

/** What the path matched, before the method is looked at. */
export interface Route {
  readonly kind: RouteKind
  readonly methods: readonly string[]
  readonly entry?: TypeEntry
  readonly id?: string
  readonly action?: string
  readonly name?: string
}

/** Limits and switches, resolved from options and environment. */
export interface Settings {
  readonly maintenance: boolean
  readonly retryAfter: number
  readonly trace: boolean
  readonly maxUriLength: number
  readonly maxBodyBytes: number
  readonly maxJsonDepth: number
  /** Time to receive a request body, in ms; then 408. */
  readonly bodyTimeoutMs: number
  readonly defaultPageSize: number
  readonly maxPageSize: number
  /** The path every route and link starts with (`/api`); empty at the root. */
  readonly basePath: string
  readonly publicUrl?: string
  /** Hosts a request may name besides the listening address (public URL, allowed hosts). */
  readonly hosts: HostRules
  readonly now: () => number
  /** Per-caller token bucket; false when unlimited. */
  readonly rateLimit?: RateLimit | false
  /** How long responses to idempotent retries are kept, at least. */
  readonly idempotencyRetentionMs?: number
  /** How long a token issued by a sign-in works, in ms. */
  readonly sessionTtlMs: number
}

/** Shared, read-only state of one app. */
export interface AppState {
  readonly store: Store
  /** Logs, metrics and readiness. */
  readonly ops: Operations
  /** Bearer and cookie tokens to principals, remembered while no token changes. */
  readonly resolveToken: TokenResolver
  readonly settings: Settings
  readonly types: readonly TypeEntry[]
  readonly byCollection: ReadonlyMap<string, TypeEntry>
  readonly byMachine: ReadonlyMap<string, TypeEntry>
  readonly representors: readonly Representor[]
  readonly schemaDocs: ReadonlyMap<string, unknown>
  /** Extra machine diagram formats (SVG), beside JSON, DOT and Mermaid. */
  readonly machineRenderers?: readonly MachineRenderer[]
  /** People the sign-in page offers to sign in as, without a token (demo servers only). */
  readonly demoUsers?: readonly DemoUser[]
  /** Buckets of the per-caller rate limit, when one is set. */
  readonly rateLimiter?: RateLimiter
  /** Seals page positions into cursors for one caller and one list. */
  readonly cursors: Cursors
  /** Undefined once the app has started; else the start-up (its store work) for a request to wait for. */
  readonly starting: () => Promise<void> | undefined
  /** Buckets of sign-in attempts per client address, when limited. */
  readonly signInLimiter?: RateLimiter
}

/** A user the sign-in page may issue a token for. */
export type DemoUser = Principal

export interface MachineRenderer {
  readonly mediaType: string
  /** For a renderer that loads on first use: resolves once `render` can run; undefined when it already can. */
  readonly ready?: () => Promise<void> | undefined
  render(machine: Machine, highlight: string | undefined): string
}

/** The key, its owner and the request's fingerprint, once G5 accepted them. */
interface IdempotencyClaim {
  readonly principal: string
  readonly key: string
  readonly fingerprint: string
}

/** One request on its way through the decision graph; nodes record facts here. */
export interface Exchange {
  readonly ctx: Context
  readonly app: AppState
  readonly route: Route
  readonly method: string
  readonly hooks: Answers
  /** The cells visited, kept only when the trace header is on. */
  readonly trace?: string[]
  principal?: Principal
  /** The credentials came from the sign-in cookie, so unsafe requests must prove they are same-origin. */
  viaCookie?: boolean
  /** Why the credentials sent were refused, when they were. */
  authError?: string
  raw?: RawBody
  /** The parsed request body; undefined when none was sent. */
  input?: unknown
  bodyKind?: 'json' | 'form'
  malformed?: string
  /** If-Match carried by an HTML form's hidden field. */
  formIfMatch?: string
  /** The row the route names, as fetched before G7 asks whether it exists (null: there is none). */
  fetched?: ResourceRow | null
  /** The rows of the collection page asked for, fetched before G7. */
  fetchedRows?: readonly ResourceRow[]
  /** For `/ready`: why the store cannot serve, asked before the graph (undefined: it can). */
  storeUnready?: string
  /** History entries fetched before O18: a log page, or the latest few for a representor that embeds them. */
  history?: readonly HistoryRow[]
  row?: ResourceRow
  actions?: readonly Action[]
  /** The media type content negotiation chose; false when none is acceptable. */
  chosen?: string | false
  representor?: Representor
  /** A body rendered early (to compute a digest ETag), reused for the reply. */
  rendered?: string
  page?: { readonly views: readonly ResourceView[]; readonly next?: string; readonly canCreate: boolean }
  pageView?: CollectionView
  view?: ResourceView | undefined
  /** The Idempotency-Key this request claimed (G5), stored with its effect. */
  idempotency?: IdempotencyClaim
  /** What hooks of this exchange see, made when one is first asked. */
  context?: DecisionContext | undefined
}

/**
 * A new exchange with every field present from the start, so that all requests share
 * one object shape however far they get through the graph (V8 then reads and writes
 * its fields without reshaping it).
 */
export function newExchange(ctx: Context, app: AppState, route: Route, hooks: Answers, trace: string[] | undefined): Exchange {
  const x = {
    ctx, app, route, method: ctx.method, hooks, trace,
    principal: undefined, viaCookie: undefined, authError: undefined, raw: undefined, input: undefined,
    bodyKind: undefined, malformed: undefined, formIfMatch: undefined, fetched: undefined, fetchedRows: undefined, history: undefined, storeUnready: undefined, row: undefined, actions: undefined,
    chosen: undefined, representor: undefined, rendered: undefined, page: undefined, pageView: undefined,
    view: undefined, idempotency: undefined, context: undefined,
  } satisfies Record<keyof Exchange, unknown>
  // Fields not yet known are present as undefined, which the optional fields of Exchange mean.
  return x as unknown as Exchange
}
