import type { Principal } from './fsm/types.ts'
import type { ResourceRow } from './store/types.ts'

/** What a request's path names, before its method is looked at. */
export type RouteKind = 'none' | 'entry' | 'health' | 'ready' | 'machine' | 'schema' | 'problem-type' | 'collection' | 'item' | 'history' | 'action' | 'session'

/**
 * What a hook may know of a request: read-only facts, found so far on the way through
 * the decision graph. Facts found later (the row at G7, the body at B9) are undefined before.
 */
export interface DecisionContext {
  readonly method: string
  /** The request's path, without the query. */
  readonly path: string
  /** The kind of route; with a resource type, its name; with a resource, its id; with a transition, its action. */
  readonly route: { readonly kind: RouteKind; readonly type?: string; readonly id?: string; readonly action?: string }
  /** The caller, when credentials were sent and hold. */
  readonly principal: Principal | undefined
  /** The resource, once found (G7). */
  readonly row: Readonly<ResourceRow> | undefined
  /** The parsed body, once read (B9); undefined when none was sent. */
  readonly input: unknown
  /** The query parameters (a repeated one as a list). */
  readonly query: Readonly<Record<string, string | readonly string[] | undefined>>
  /** A request field's value; '' when absent. */
  header(name: string): string
}

/**
 * The questions the decision graph asks that a resource type may answer its own way,
 * each with the cell that asks it, the status a "no" leads to, and the default answer.
 * A type's `hooks` override them; `defaultHooks` are the answers it would otherwise get.
 */
export interface Hooks {
  /** B13 Is the service available? `false` → 503 with Retry-After. Default: yes unless in maintenance; /health always. */
  readonly serviceAvailable: (c: DecisionContext) => boolean
  /** B12 Methods the framework implements; others → 501. Default: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS. */
  readonly knownMethods: (c: DecisionContext) => readonly string[]
  /** B8 Is the caller authenticated (or the route public)? `false` → 401. Default: public routes yes, others need valid credentials. */
  readonly authorized: (c: DecisionContext) => boolean
  /** B7 Is the request forbidden outright, before the resource is looked at? `true` or a reason → 403. Default: cross-site cookie requests, and listing or creating without a role for it. */
  readonly forbidden: (c: DecisionContext) => boolean | string
  /** B9 A reason the request is malformed, or undefined. → 400. Default: a body that does not parse, a query parameter the route does not read or cannot read. */
  readonly malformed: (c: DecisionContext) => string | undefined
  /** B5 Are the content headers acceptable? A reason → 415. Default: JSON or an HTML form, without a content coding. */
  readonly validContentHeaders: (c: DecisionContext) => string | undefined
  /** G7 Does the resource exist, for this caller? `false` → 404. Default: the route's own lookup (tenant and ownership applied). */
  readonly resourceExists: (c: DecisionContext) => boolean
  /** G11, K13 The current strong entity tag, if any; also the ETag sent. Default: the route's (version, format and shown actions, or a digest). */
  readonly etag: (c: DecisionContext) => string | undefined
  /** H12, L17 Last modification time in ms, if any; also the Last-Modified sent, in whole seconds. Default: the row's updated_at. */
  readonly lastModified: (c: DecisionContext) => number | undefined
  /** C4 Media types this route can produce, in order of preference; none acceptable → 406. Default: every representor's, or the route's own. */
  readonly contentTypesProvided: (c: DecisionContext) => readonly string[]
}
