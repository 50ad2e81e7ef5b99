import Router from '@koa/router'
import Koa from 'koa'
import type { Representor } from '../../representors/types.ts'
import { builtinRepresentors, renderProblemPage } from '../../representors/index.ts'
import type { ResourceType } from '../resource.ts'
import { openSqliteStore } from '../store/sqlite-store.ts'
import type { Store } from '../store/types.ts'
import { answersFor, typeAnswers } from './graph/hooks.ts'
import { newExchange, type AppState, type DemoUser, type MachineRenderer, type Route, type Settings, type TypeEntry } from './graph/exchange.ts'
import type { Reply } from './reply/reply.ts'
import { runGraph } from './graph/flow.ts'
import { writeReply, type ProblemPage } from './reply/respond.ts'
import { compileType, createAjv } from './schemas.ts'
import { svgRenderer } from './views/svg.ts'
import { renderersReady } from './routes/static.ts'
import { schemaFiles } from '../contracts/schema-files.ts'
import { DEFAULT_RETENTION_MS, retentionOf, startPruning } from './features/idempotency.ts'
import { createRateLimiter, rateLimitFromEnv, type RateLimit } from '../auth/rate-limit.ts'
import { tokenResolver } from '../auth/bearer.ts'
import { assertPolicy, recordRoles } from '../auth/policy.ts'
import { writeUnexpected } from './reply/unexpected.ts'
import { badTarget, targetParses } from './protocol/target.ts'
import { storedCursorSealer } from './features/cursor.ts'
import { hostRulesOf } from './protocol/origin.ts'

export interface AppOptions {
  readonly resources: readonly ResourceType[]
  /** An SQLite file name, `:memory:`, or a store of your own. */
  readonly database: string | Store
  readonly synchronous?: 'FULL' | 'NORMAL'
  readonly groupCommit?: boolean
  /** Answer 503 to everything but /health (also `MAINTENANCE=1`). */
  readonly maintenance?: boolean
  /** Send `Affordance-Trace` with the decision path (also `AFFORDANCE_TRACE=1`). */
  readonly trace?: boolean
  readonly maxUriLength?: number
  readonly maxBodyBytes?: number
  readonly maxJsonDepth?: number
  /** Time to receive a request body, in ms (default 20 s; also `BODY_TIMEOUT_MS`); then 408 and the connection is closed. */
  readonly bodyTimeoutMs?: number
  /** Origin for absolute links (Siren), e.g. `https://api.example.org` (also `PUBLIC_URL`). */
  readonly publicUrl?: string
  /** Host names (optionally `name:port`) a proxy may send besides the public URL's and the listening address (also `ALLOWED_HOSTS`, comma-separated). */
  readonly allowedHosts?: readonly string[]
  /** Representors beyond the built-in ones, in order of preference after them. */
  readonly representors?: readonly Representor[]
  readonly machineRenderers?: readonly MachineRenderer[]
  /** Renders problems for browsers; the HTML explorer's page by default. */
  readonly problemPage?: ProblemPage
  /** Users the sign-in page (`/session`) lets a person pick without a token: for demo servers only. */
  readonly demoUsers?: readonly DemoUser[]
  /** The clock, for tests. */
  readonly now?: () => number
  /** Per-caller token bucket (default 600 burst, 100/s; also `RATE_LIMIT_BURST`, `RATE_LIMIT_PER_SECOND`); false for none. */
  readonly rateLimit?: RateLimit | false
  /** How long a token issued by a sign-in works, in ms (default 12 h; also `SESSION_TTL_SECONDS`). */
  readonly sessionTtlMs?: number
  /** Sign-in attempts per client address (default bursts of 10, then one per 10 s); false for none. */
  readonly signInRateLimit?: RateLimit | false
  /** How long responses are kept for Idempotency-Key retries, in ms (default and minimum: 24 h). */
  readonly idempotencyRetentionMs?: number
  /** Where unexpected errors are reported (default: console.error). */
  readonly log?: (error: unknown) => void
}

/** A Koa app serving the resource types, with its store. */
export type AffordanceApp = Koa & { readonly store: Store; readonly affordance: AppState; close(): void }

const flag = (v: string | undefined): boolean => v === '1' || v === 'true'

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} "${v}" is not a positive whole number`)
  return n
}

/** Builds the app: compiles every schema, checks every policy, mounts every route. */
export function createApp(options: AppOptions): AffordanceApp {
  const publicUrl = publicUrlOf(options.publicUrl ?? process.env.PUBLIC_URL)
  const settings: Settings = {
    maintenance: options.maintenance ?? flag(process.env.MAINTENANCE),
    retryAfter: 120,
    trace: options.trace ?? flag(process.env.AFFORDANCE_TRACE),
    maxUriLength: options.maxUriLength ?? 8192,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    maxJsonDepth: options.maxJsonDepth ?? 32,
    bodyTimeoutMs: options.bodyTimeoutMs ?? positive('BODY_TIMEOUT_MS', process.env.BODY_TIMEOUT_MS) ?? 20_000,
    defaultPageSize: 20,
    maxPageSize: 100,
    now: options.now ?? Date.now,
    ...publicUrl,
    hosts: hostRulesOf(publicUrl.publicUrl, options.allowedHosts ?? (process.env.ALLOWED_HOSTS ?? '').split(',')),
    rateLimit: options.rateLimit ?? rateLimitFromEnv(process.env),
    idempotencyRetentionMs: retentionOf(options.idempotencyRetentionMs),
    sessionTtlMs: sessionTtlOf(options.sessionTtlMs, process.env.SESSION_TTL_SECONDS),
  }
  const signInLimit = options.signInRateLimit ?? DEFAULT_SIGN_IN_LIMIT
  const ajv = createAjv()
  const types: TypeEntry[] = options.resources.map((type) => {
    checkPolicy(type)
    return { type, compiled: compileType(ajv, type), hooks: typeAnswers(type.hooks), linkTemplates: new Map() }
  })
  const collections = new Set<string>()
  for (const t of types) {
    if (collections.has(t.type.collection)) throw new Error(`two resource types share the collection "${t.type.collection}"`)
    collections.add(t.type.collection)
  }
  const representors = [...builtinRepresentors, ...(options.representors ?? [])]
  // A format's code sets its ETags (and Link templates) apart: two formats sharing one would send one tag for two bodies.
  const codes = new Map<string, string>()
  for (const r of representors) {
    const other = codes.get(r.code)
    if (other !== undefined) throw new Error(`representors ${other} and ${r.mediaType} share the ETag code "${r.code}"`)
    codes.set(r.code, r.mediaType)
  }
  const schemaDocs = schemaFiles(options.resources)
  const store = typeof options.database === 'string'
    ? openSqliteStore({ filename: options.database, ...(options.synchronous !== undefined && { synchronous: options.synchronous }), ...(options.groupCommit !== undefined && { groupCommit: options.groupCommit }) })
    : options.database
  recordRoles(store, types.map((t) => t.type))
  const state: AppState = {
    store,
    resolveToken: tokenResolver(store, 10_000, settings.now),
    settings,
    types,
    byCollection: new Map(types.map((t) => [t.type.collection, t])),
    byMachine: new Map(types.map((t) => [t.type.machine.name, t])),
    representors,
    schemaDocs,
    machineRenderers: [...(options.machineRenderers ?? []), svgRenderer],
    demoUsers: options.demoUsers ?? [],
    cursors: storedCursorSealer(store),
    ...(settings.rateLimit !== false && settings.rateLimit !== undefined && { rateLimiter: createRateLimiter(settings.rateLimit, settings.now) }),
    ...(signInLimit !== false && { signInLimiter: createRateLimiter(signInLimit, settings.now) }),
  }
  const problemPage = options.problemPage ?? renderProblemPage
  const stopPruning = startPruning(store, settings.idempotencyRetentionMs ?? DEFAULT_RETENTION_MS, settings.now)
  const log = options.log ?? ((error: unknown) => console.error('unexpected error:', error))
  const koa = new Koa()
  koa.silent = true
  koa.on('error', (error: unknown) => log(error))
  // Koa's compose turns a throw anywhere below into a rejected promise, caught here.
  koa.use((ctx, next) => {
    if (!targetParses(ctx)) {
      writeReply(ctx, badTarget, undefined, problemPage)
      return undefined
    }
    return next().catch((error: unknown) => writeUnexpected(ctx, error, log, problemPage))
  })
  const router = new Router()
  const serve = (kind: Route['kind'], methods: readonly string[], pick: (params: Record<string, string>) => Partial<Route> | undefined) =>
    (ctx: Koa.Context): Promise<void> | undefined => {
      const found = pick(ctx.params as Record<string, string>)
      return handle(ctx, found === undefined ? { kind: 'none', methods: [] } : { kind, methods, ...found })
    }
  // Synchronous when the graph is (every GET): no promise made per request.
  const handle = (ctx: Koa.Context, route: Route): Promise<void> | undefined => {
    const x = newExchange(ctx, state, route, answersFor(route.kind, route.entry), settings.trace ? [] : undefined)
    const reply = runGraph(x)
    if (reply instanceof Promise) return reply.then((r) => write(ctx, r, x.trace))
    write(ctx, reply, x.trace)
    return undefined
  }
  const write = (ctx: Koa.Context, reply: Reply, trace: readonly string[] | undefined): void => {
    writeReply(ctx, reply, trace, problemPage)
    // Answered before the body arrived (401, 403, 413, 408): Node would keep reading it to reuse the
    // connection, for as long as the caller keeps sending. Close it instead. A request without a body
    // is not yet `complete` while its handler runs synchronously, so look at the framing, not that flag.
    if (!ctx.req.complete && announcesBody(ctx.req)) ctx.set('Connection', 'close')
  }
  const READ = ['GET', 'HEAD', 'OPTIONS']
  router.all('/', serve('entry', READ, () => ({})))
  router.all('/health', serve('health', READ, () => ({})))
  const machine = serve('machine', READ, (p) => ({ name: p.name ?? '' }))
  // The graph asks for a diagram synchronously: a renderer that loads on first use is awaited here.
  router.all('/machines/:name', (ctx) => {
    const loading = renderersReady(state.machineRenderers)
    return loading === undefined ? machine(ctx) : loading.then(() => machine(ctx))
  })
  router.all('/schemas/:name', serve('schema', READ, (p) => ({ name: p.name ?? '' })))
  router.all('/session', serve('session', ['GET', 'HEAD', 'POST', 'OPTIONS'], () => ({})))
  router.all('/session/delete', serve('session', ['POST', 'OPTIONS'], () => ({ name: 'delete' })))
  router.all('/problems/:name', serve('problem-type', READ, (p) => ({ name: p.name ?? '' })))
  for (const entry of types) {
    const base = `/${entry.type.collection}`
    router.all(base, serve('collection', ['GET', 'HEAD', 'POST', 'OPTIONS'], () => ({ entry })))
    router.all(`${base}/:id`, serve('item', READ, (p) => ({ entry, id: p.id ?? '' })))
    router.all(`${base}/:id/history`, serve('history', READ, (p) => ({ entry, id: p.id ?? '' })))
    router.all(`${base}/:id/:action`, serve('action', ['POST', 'OPTIONS'], (p) =>
      entry.type.machine.byName.has(p.action ?? '') ? { entry, id: p.id ?? '', action: p.action ?? '' } : undefined))
  }
  koa.use(router.routes())
  koa.use((ctx) => handle(ctx, { kind: 'none', methods: [] }))
  return Object.assign(koa, {
    store,
    affordance: state,
    close: () => {
      stopPruning()
      store.close()
    },
  })
}

// Enough for a person retrying a mistyped token; far too few to guess one, or to fill the tokens table.
const DEFAULT_SIGN_IN_LIMIT: RateLimit = { capacity: 10, refillPerSecond: 0.1 }

/** The lifetime of sign-in tokens: the option, else `SESSION_TTL_SECONDS`, else 12 h; refuses to start on a nonsensical one. */
function sessionTtlOf(option: number | undefined, env: string | undefined): number {
  const ms = option ?? (env === undefined || env === '' ? 12 * 3600 * 1000 : Number(env) * 1000)
  if (!Number.isSafeInteger(ms) || ms < 1000) throw new Error(`session lifetime "${option ?? env ?? ''}" must be a whole number of seconds, at least 1`)
  return ms
}

/** Whether the request's framing says a body follows (RFC 9112 §6.3). */
const announcesBody = (req: Koa.Context['req']): boolean =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')

/** The origin absolute links use (`PUBLIC_URL`); refuses to start on one that is not an http(s) URL. */
function publicUrlOf(raw: string | undefined): { publicUrl?: string } {
  if (raw === undefined || raw === '') return {}
  if (!URL.canParse(raw) || !/^https?:\/\/[^/]+\/?$/.test(raw)) throw new Error(`PUBLIC_URL "${raw}" must be an http(s) origin such as https://api.example.org`)
  return { publicUrl: raw.replace(/\/$/, '') }
}

/** Deny by default: every action and every resource type must say who may use it. */
function checkPolicy(type: ResourceType): void {
  assertPolicy(type)
}
