import type { Exchange } from './exchange.ts'

/**
 * The decisions a resource type may override, as RestMachine's decorators do.
 * Each receives the exchange (request, route, facts found so far) and answers one question.
 */
export interface Hooks {
  /** B13: is the service available? `false` → 503 with Retry-After. */
  readonly serviceAvailable: (x: Exchange) => boolean
  /** B12: methods the framework implements; others → 501. */
  readonly knownMethods: (x: Exchange) => readonly string[]
  /** B8: is the caller authenticated (or is the route public)? `false` → 401. */
  readonly authorized: (x: Exchange) => boolean
  /** B7: is the request forbidden outright (before the resource is looked at)? `true` → 403. */
  readonly forbidden: (x: Exchange) => boolean | string
  /** B9: a reason the request is malformed, or undefined. → 400. */
  readonly malformed: (x: Exchange) => string | undefined
  /** B5: are the content headers acceptable? A reason → 415. */
  readonly validContentHeaders: (x: Exchange) => string | undefined
  /** G7: does the resource exist (for this caller)? `false` → 404. */
  readonly resourceExists: (x: Exchange) => boolean
  /** G11, K13: the current strong entity tag, if any; also the ETag sent. (If-Match on a transition compares versions.) */
  readonly etag: (x: Exchange) => string | undefined
  /** H12, L17: last modification time in ms, if any; also the Last-Modified sent, in whole seconds. */
  readonly lastModified: (x: Exchange) => number | undefined
  /** C4: media types this route can produce, in order of preference; none acceptable → 406. */
  readonly contentTypesProvided: (x: Exchange) => readonly string[]
}
