import { createHash } from 'node:crypto'
import { after } from '../../awaitable.ts'
import type { Awaitable, IdempotentRecord, KeyClaim, Store } from '../../store/types.ts'
import type { AppState, Exchange } from '../graph/exchange.ts'
import type { Reply } from '../reply/reply.ts'
import { problem, type Problem } from '../reply/problem.ts'
import type { Status } from '../reply/status.ts'

/**
 * Idempotent retries of POST (draft-ietf-httpapi-idempotency-key-header).
 *
 * The first response to a key is stored in the same transaction as its effect, so a
 * retry either finds both or neither. Requests refused before the write (4xx from the
 * decision graph) store nothing: their retry is evaluated afresh (the draft's "SHOULD
 * respond with the result ... success or an error" is relaxed for refusals, whose retry
 * can only be refused again or, once the cause is fixed, succeed once).
 */

/** How long a stored response is kept at least: 24 hours, the expiry policy the draft asks us to publish (§2.3). */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000

/** The retention an app runs with: at least 24 hours, because clients may retry that long. */
export function retentionOf(ms: number | undefined): number {
  if (ms === undefined) return DEFAULT_RETENTION_MS
  if (!(ms >= DEFAULT_RETENTION_MS)) throw new Error('idempotencyRetentionMs must be at least 24 hours: clients may retry that long')
  return ms
}

/** The longest key accepted. */
const MAX_KEY_LENGTH = 255

/** Response headers worth replaying; the rest are recomputed or irrelevant to a retry. */
const REMEMBERED = ['Location', 'Content-Location', 'ETag', 'Link', 'Last-Modified'] as const

// Keys in flight in this process, per app: the in-process half of "409 while the first runs".
const inFlight = new WeakMap<AppState, Set<string>>()

/**
 * Reads `Idempotency-Key`: an sf-string (RFC 8941 §3.3.3) or, leniently, the bare key.
 * Returns undefined when absent, a reason string when unusable.
 */
export function parseIdempotencyKey(field: string | undefined): { key: string } | string | undefined {
  if (field === undefined) return undefined
  let key = field.trim()
  if (key.startsWith('"')) {
    const m = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/.exec(key)
    if (m === null) return 'Idempotency-Key is not a valid structured-field string.'
    key = (m[1] ?? '').replace(/\\(["\\])/g, '$1')
  } else if (!/^[\x21-\x7e]*$/.test(key)) {
    return 'Idempotency-Key must be printable ASCII without spaces, or a quoted string.'
  }
  if (key === '') return 'Idempotency-Key is empty.'
  if (key.length > MAX_KEY_LENGTH) return `Idempotency-Key is longer than ${MAX_KEY_LENGTH} characters.`
  return { key }
}

/** Who owns a key: the same user id in two tenants is two principals. */
const ownerOf = (x: Exchange): string | undefined => (x.principal === undefined ? undefined : `${x.principal.tenant}/${x.principal.id}`)

/** SHA-256 over method, target (path and query) and the body bytes: a retry must repeat all three. */
function fingerprintOf(x: Exchange): string {
  // Without a query the text is what it was before queries counted, so records kept from then still replay.
  const query = x.ctx.querystring === '' ? '' : `?${x.ctx.querystring}`
  const hash = createHash('sha256').update(`${x.method}\n${x.ctx.path}${query}\n`)
  if (x.raw?.kind === 'bytes') hash.update(x.raw.bytes)
  return hash.digest('hex')
}

export type KeyVerdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'replay'; readonly reply: Reply }
  | { readonly kind: 'refuse'; readonly problem: Problem }
  | { readonly kind: 'claimed' }

/** G5: replays a stored response, refuses a clash, or claims the key for this request. */
export function checkIdempotencyKey(x: Exchange): Awaitable<KeyVerdict> {
  if (x.method !== 'POST') return none
  const parsed = parseIdempotencyKey(x.ctx.headers['idempotency-key'] as string | undefined)
  if (parsed === undefined) return none
  if (typeof parsed === 'string') return { kind: 'refuse', problem: problem('malformed-request', parsed) }
  const principal = ownerOf(x)
  if (principal === undefined) return none
  const fingerprint = fingerprintOf(x)
  return after(x.app.store.recall(principal, parsed.key), (stored): KeyVerdict => {
    if (stored !== undefined) {
      if (stored.fingerprint !== fingerprint) {
        return { kind: 'refuse', problem: problem('idempotency-key-reused', 'This Idempotency-Key was already used for a different request; use a new key for a new request.') }
      }
      return { kind: 'replay', reply: replayOf(stored) }
    }
    const pending = inFlight.get(x.app) ?? new Set<string>()
    inFlight.set(x.app, pending)
    const slot = `${principal}\n${parsed.key}`
    if (pending.has(slot)) return { kind: 'refuse', problem: inFlightProblem() }
    pending.add(slot)
    // Released when the response is done, whatever it was; the stored record takes over from there.
    x.ctx.res.once('close', () => pending.delete(slot))
    x.idempotency = { principal, key: parsed.key, fingerprint }
    return { kind: 'claimed' }
  })
}

const none: KeyVerdict = { kind: 'none' }

/** 409: the key is being used by a request still running (here or at another instance), or was stored by one meanwhile. */
export const inFlightProblem = (): Problem =>
  problem('request-in-flight', 'A request with this Idempotency-Key is still being processed; retry after it completes.')

function replayOf(stored: IdempotentRecord): Reply {
  const { 'Content-Type': type, ...headers } = stored.headers
  return { status: stored.status as Status, headers: { ...headers, 'Idempotent-Replayed': 'true' }, ...(stored.body !== '' && { body: stored.body }), ...(type !== undefined && { type }) }
}

/** The key this request claimed at G5, for the write to check and store in its transaction. */
export const claimOf = (x: Exchange): KeyClaim | undefined =>
  x.idempotency === undefined ? undefined : { principal: x.idempotency.principal, key: x.idempotency.key }

/** The record to store under the request's key with a successful reply, written in the same transaction as its effect. */
export function recordOf(x: Exchange, reply: Reply): IdempotentRecord | undefined {
  const claim = x.idempotency
  // A Buffer body is never a resource representation; a missing one (a redirect) is stored as empty.
  if (claim === undefined || Buffer.isBuffer(reply.body)) return undefined
  const headers: Record<string, string> = {}
  for (const name of REMEMBERED) {
    const value = reply.headers?.[name]
    if (value !== undefined) headers[name] = value
  }
  if (reply.type !== undefined) headers['Content-Type'] = reply.type
  return { fingerprint: claim.fingerprint, status: reply.status, headers, body: reply.body ?? '' }
}

/**
 * Prunes stored responses older than the retention now and then every hour; returns a stop
 * function, and the first round (settled, never rejected) for the app's start-up to wait for.
 */
export function startPruning(store: Store, retentionMs: number, now: () => number): { stop: () => void; first: Promise<void> } {
  const prune = (): Promise<void> => {
    // A busy, unreachable or closed database: the next round will try again.
    try {
      return Promise.resolve(store.pruneIdempotency(now() - retentionMs)).then(() => undefined, () => undefined)
    } catch {
      return Promise.resolve()
    }
  }
  const first = prune()
  const timer = setInterval(prune, Math.min(retentionMs, 60 * 60 * 1000))
  timer.unref()
  return { stop: () => clearInterval(timer), first }
}
