import { JSON_HINT, looksLikeJson, parseForm, parseJson, readBody, unsupportedTransferCoding } from '../protocol/body.ts'
import { notModifiedHeaders, parseHttpDate, parseTagList, strongMatch, tagListError, toSeconds, weakMatch, type EntityTag } from '../protocol/conditional.ts'
import type { Exchange } from './exchange.ts'
import { problemReply, type Reply } from '../reply/reply.ts'
import { handlerOf } from '../routes/handlers.ts'
import { notReady } from '../routes/static.ts'
import { choose, ifMatchOf } from '../routes/handler-kit.ts'
import { problem, type Problem } from '../reply/problem.ts'
import { admit, validateInput } from './admission.ts'
import { versionOfTag } from '../views/views.ts'
import { bodyTypes } from '../protocol/body-types.ts'
import { hasContentCoding } from './defaults.ts'
import { authenticate } from './authenticate.ts'
import { bearerChallenge } from '../../auth/bearer.ts'
import { formInput } from '../protocol/form-values.ts'
import { checkIdempotencyKey } from '../features/idempotency.ts'
import { throttle } from '../features/throttle.ts'
import { fieldOf } from '../protocol/request-field.ts'
import { hostIsOurs } from '../protocol/origin.ts'

/**
 * The decision graph. Each cell answers one question and either names the next
 * cell or halts with a reply. Cell ids follow the webmachine v3 diagram where a
 * cell exists there; `b14`, `a1`, `b8a`, `g5`, `g6`, `p3`, `p4` are ours.
 */
export type Cell =
  | 'b8a' | 'b14' | 'a1' | 'b13' | 'b12' | 'b11' | 'b10' | 'b3' | 'b8' | 'b9' | 'b7' | 'b4' | 'b5'
  | 'g7' | 'g5' | 'g6' | 'g8' | 'g9' | 'g11' | 'h10' | 'h11' | 'h12' | 'i12' | 'i13' | 'k13' | 'j18'
  | 'l13' | 'l14' | 'l15' | 'l17' | 'c4' | 'p3' | 'p4' | 'n11' | 'o18'

type Outcome = { readonly kind: 'next'; readonly cell: Cell } | { readonly kind: 'halt'; readonly reply: Reply }
export type Decision = (x: Exchange) => Outcome | Promise<Outcome>

// One frozen "go on to" value per cell: walking the graph allocates nothing per step.
const nextOf = new Map<Cell, Outcome>()
const next = (cell: Cell): Outcome => {
  let outcome = nextOf.get(cell)
  if (outcome === undefined) {
    outcome = Object.freeze({ kind: 'next', cell })
    nextOf.set(cell, outcome)
  }
  return outcome
}
const halt = (reply: Reply): Outcome => ({ kind: 'halt', reply })
const fail = (p: Problem): Outcome => halt(problemReply(p))

const isRead = (x: Exchange): boolean => x.method === 'GET' || x.method === 'HEAD'
const allowHeader = (x: Exchange): string => x.route.methods.join(', ')


/** Does one of the client's tags match the current resource (RFC 9110 §13.1.1, strong)? */
function ifMatchHolds(x: Exchange, tags: readonly EntityTag[]): boolean {
  if (!isRead(x) && x.row !== undefined) {
    // A state-changing request names the version it saw; any variant's tag of the current version matches.
    const version = x.row.version
    return tags.some((t) => !t.weak && versionOfTag(t.opaque) === version)
  }
  const current = x.hooks.etag(x)
  if (current === undefined) return false
  const mine: EntityTag = { weak: false, opaque: current }
  return tags.some((t) => strongMatch(t, mine))
}

// Reads without a body stay synchronous: no promise, no extra microtask per GET.
const wellFormed = (x: Exchange): Outcome => {
  const reason = x.hooks.malformed(x)
  return reason === undefined ? next('b7') : fail(problem('malformed-request', reason))
}

const bodyTimedOut = (x: Exchange): Outcome =>
  fail(problem('request-timeout', `The body did not arrive within ${x.app.settings.bodyTimeoutMs} ms.`, { headers: { Connection: 'close' } }))

// Nothing of the request was done, so it is safe to send again: another instance, or this one restarted, can take it at once.
const stopping = problem('service-unavailable', 'The server is shutting down; this request was not processed, so it is safe to send again.', { headers: { 'Retry-After': '1', Connection: 'close' } })

const notModified = (x: Exchange): Outcome => halt({ status: 304, headers: notModifiedHeaders(handlerOf(x).validatorHeaders(x)) })

export const nodes: Readonly<Record<Cell, Decision>> = {
  // B8a Too many requests from this caller? (RFC 6585 §4) — first, so that no answer is free, 401
  // and 404 included: a known principal draws from its own bucket, anyone else from their address's.
  b8a: (x) => {
    authenticate(x)
    const verdict = throttle(x)
    if (verdict.ok) return next('b14')
    const wait = String(verdict.retryAfterSeconds)
    return fail(problem('too-many-requests', `Too many requests; try again in ${wait} s.`, { headers: { 'Retry-After': wait }, extensions: { retry_after: verdict.retryAfterSeconds } }))
  },

  // B14 Does Host name this server? (RFC 9110 §7.4, §15.5.20)
  b14: (x) => hostIsOurs(x.ctx, x.app.settings.hosts)
    ? next('a1')
    : fail(problem('misdirected-request', `This server does not answer for the host ${JSON.stringify(fieldOf(x.ctx, 'host').slice(0, 100))}.`)),

  // A1 Does any route match the path? (RFC 9110 §15.5.5)
  a1: (x) => (x.route.kind === 'none' ? fail(problem('not-found', `Nothing lives at ${x.ctx.path}.`)) : next('b13')),

  // B13 Service available? (RFC 9110 §15.6.4) — not once the app stops admitting requests,
  // whatever a type says, so that shutdown takes nothing new; the refusal closes the connection
  // (RFC 9112 §9.6); the probes, /health and /ready, still answer for themselves.
  b13: (x) => {
    if (x.app.ops.stopping && x.route.kind !== 'health' && x.route.kind !== 'ready') return fail(stopping)
    return x.hooks.serviceAvailable(x)
      ? next('b12')
      : fail(problem('service-unavailable', (x.route.kind === 'ready' && !x.app.settings.maintenance ? notReady(x) : undefined) ?? 'The service is down for maintenance; try again later.', { headers: { 'Retry-After': String(x.app.settings.retryAfter) } }))
  },

  // B12 Known method? (RFC 9110 §15.6.2)
  b12: (x) => x.hooks.knownMethods(x).includes(x.method)
    ? next('b11')
    : fail(problem('not-implemented', `The method ${x.method} is not implemented by this server.`)),

  // B11 URI too long? (RFC 9110 §15.5.15)
  b11: (x) => x.ctx.originalUrl.length > x.app.settings.maxUriLength
    ? fail(problem('uri-too-long', `The URI is longer than ${x.app.settings.maxUriLength} characters.`))
    : next('b10'),

  // B10 Method allowed on this resource? (RFC 9110 §15.5.6)
  b10: (x) => x.route.methods.includes(x.method)
    ? next('b3')
    : fail(problem('method-not-allowed', `${x.ctx.path} supports ${allowHeader(x)}, not ${x.method}.`, { headers: { Allow: allowHeader(x) } })),

  // B3 OPTIONS? (RFC 9110 §9.3.7)
  b3: (x) => x.method === 'OPTIONS'
    ? halt({ status: 204, headers: { Allow: allowHeader(x), ...(x.route.methods.includes('POST') && { 'Accept-Post': bodyTypes.join(', ') }) } })
    : next('b8'),

  // B8 Authorized? (RFC 9110 §15.5.2, RFC 6750 §3) — before any body is read.
  b8: (x) => {
    if (x.hooks.authorized(x)) return next('b9')
    return fail(problem('unauthorized', x.authError ?? 'This resource needs a bearer token.', { headers: { 'WWW-Authenticate': bearerChallenge(x.authError) } }))
  },

  // B9 Malformed? (RFC 9110 §15.5.1) — reads the body within the size limit and the body
  // timeout; a body that does not arrive in time is 408 (§15.5.9), and its connection is closed.
  // A transfer coding we cannot undo is 501, and the connection closes on the unread body (RFC 9112 §6.1).
  b9: (x) => {
    const coding = unsupportedTransferCoding(x.ctx.req)
    if (coding !== undefined) return fail(problem('not-implemented', `Transfer-Encoding "${coding.slice(0, 64)}" is not implemented; send the body with Transfer-Encoding: chunked alone, or with Content-Length.`, { headers: { Connection: 'close' } }))
    return x.method === 'POST' ? readAndParse(x).then(() => (x.raw?.kind === 'timeout' ? bodyTimedOut(x) : wellFormed(x))) : wellFormed(x)
  },

  // B7 Forbidden? (RFC 9110 §15.5.4)
  b7: (x) => {
    const verdict = x.hooks.forbidden(x)
    if (verdict === false) return next('b4')
    return fail(problem('forbidden', verdict === true ? 'You may not do this.' : verdict))
  },

  // B4 Request content too large? (RFC 9110 §15.5.14)
  b4: (x) => x.raw?.kind === 'too-large'
    ? fail(problem('content-too-large', `The body is larger than ${x.app.settings.maxBodyBytes} bytes.`))
    : next('b5'),

  // B5 Known content type and coding? (RFC 9110 §15.5.16: Accept-Post names the types; Accept-Encoding
  // only when the coding is refused, §12.5.3)
  b5: (x) => {
    const reason = x.hooks.validContentHeaders(x)
    if (reason === undefined) return next('g7')
    const headers = { 'Accept-Post': bodyTypes.join(', '), ...(hasContentCoding(x) && { 'Accept-Encoding': 'identity' }) }
    return fail(problem('unsupported-media-type', reason, { headers, extensions: { accepted: bodyTypes } }))
  },

  // G7 Resource exists (for this caller)? (RFC 9110 §15.5.5)
  g7: (x) => x.hooks.resourceExists(x) ? next('g5') : fail(problem('not-found', `There is no ${x.route.entry?.type.name ?? 'resource'} at ${x.ctx.path}.`)),

  // G5 Idempotent replay? (draft-ietf-httpapi-idempotency-key-header §2.6) — before preconditions, so a stale If-Match still replays.
  g5: (x) => {
    const verdict = checkIdempotencyKey(x)
    switch (verdict.kind) {
      case 'replay': return halt(verdict.reply)
      case 'refuse': return fail(verdict.problem)
      default: return next('g6')
    }
  },

  // G6 Precondition required? (RFC 6585 §3)
  g6: (x) => x.route.kind === 'action' && x.route.entry?.type.requirePreconditions === true && ifMatchOf(x) === undefined
    ? fail(problem('precondition-required', 'This resource requires conditional transitions: GET it, then resend the request with its ETag in If-Match.'))
    : next('c4'),

  // G8 If-Match present? (RFC 9110 §13.1.1)
  g8: (x) => (ifMatchOf(x) === undefined ? next('h10') : next('g9')),

  // G9 If-Match: * ? — the resource exists, so it matches.
  g9: (x) => (ifMatchOf(x)?.trim() === '*' ? next('h10') : next('g11')),

  // G11 An ETag in If-Match matches (strong comparison)? A field that is no list of tags is 400, not a failed condition.
  g11: (x) => {
    const list = parseTagList(ifMatchOf(x) ?? '')
    if (list === 'invalid') return fail(problem('malformed-request', tagListError('If-Match', ifMatchOf(x) ?? '')))
    const holds = list.any || ifMatchHolds(x, list.tags)
    return holds ? next('h10') : fail(problem('precondition-failed', 'The resource has changed since you fetched it (If-Match); GET it again and resubmit.', { extensions: currentVersion(x) }))
  },

  // H10 If-Unmodified-Since present (and no If-Match)? (RFC 9110 §13.1.4)
  h10: (x) => (ifMatchOf(x) === undefined && fieldOf(x.ctx, 'if-unmodified-since') !== '' ? next('h11') : next('i12')),

  // H11 If-Unmodified-Since a valid date? An invalid one is ignored.
  h11: (x) => (parseHttpDate(fieldOf(x.ctx, 'if-unmodified-since')) === undefined ? next('i12') : next('h12')),

  // H12 Last-Modified later than If-Unmodified-Since?
  h12: (x) => {
    const since = parseHttpDate(fieldOf(x.ctx, 'if-unmodified-since')) ?? Infinity
    const modified = x.hooks.lastModified(x)
    return modified !== undefined && toSeconds(modified) > since
      ? fail(problem('precondition-failed', 'The resource was modified after the date in If-Unmodified-Since.', { extensions: currentVersion(x) }))
      : next('i12')
  },

  // I12 If-None-Match present? (RFC 9110 §13.1.2)
  i12: (x) => (fieldOf(x.ctx, 'if-none-match') === '' ? next('l13') : next('i13')),

  // I13 If-None-Match: * ? — the resource exists, so the condition is false.
  i13: (x) => (fieldOf(x.ctx, 'if-none-match').trim() === '*' ? next('j18') : next('k13')),

  // K13 An ETag in If-None-Match matches (weak comparison)? A field that is no list of tags is 400, as for If-Match.
  k13: (x) => {
    const list = parseTagList(fieldOf(x.ctx, 'if-none-match'))
    if (list === 'invalid') return fail(problem('malformed-request', tagListError('If-None-Match', fieldOf(x.ctx, 'if-none-match'))))
    const current = x.hooks.etag(x)
    const matched = !list.any && current !== undefined && list.tags.some((t) => weakMatch(t, { weak: false, opaque: current }))
    // With If-None-Match present, If-Modified-Since is not evaluated (§13.2.2 step 4).
    return matched ? next('j18') : next('p3')
  },

  // J18 GET or HEAD? 304, else 412 (RFC 9110 §13.1.2)
  j18: (x) => isRead(x) ? notModified(x) : fail(problem('precondition-failed', 'If-None-Match matched the current representation.', { extensions: currentVersion(x) })),

  // L13 If-Modified-Since present, on GET or HEAD? (RFC 9110 §13.1.3)
  l13: (x) => (isRead(x) && fieldOf(x.ctx, 'if-modified-since') !== '' ? next('l14') : next('p3')),

  // L14 If-Modified-Since a valid date? (A date in the future counts too: RFC 9110 has no such exception.)
  l14: (x) => (parseHttpDate(fieldOf(x.ctx, 'if-modified-since')) === undefined ? next('p3') : next('l15')),

  // L15 Does the resource have a modification date? If not, If-Modified-Since is ignored.
  l15: (x) => (x.hooks.lastModified(x) === undefined ? next('p3') : next('l17')),

  // L17 Last-Modified later than If-Modified-Since?
  l17: (x) => {
    const modified = x.hooks.lastModified(x)
    const since = parseHttpDate(fieldOf(x.ctx, 'if-modified-since')) ?? 0
    return modified === undefined || toSeconds(modified) > since ? next('p3') : notModified(x)
  },

  // C4 Acceptable media type available? (RFC 9110 §12.5.1, §15.5.7) — before the
  // preconditions, which are ignored when the answer would be an error (§13.2.1).
  c4: (x) => {
    const route = handlerOf(x)
    if (route.negotiate === undefined ? choose(x) !== false : route.negotiate(x)) return next('g8')
    const available = x.hooks.contentTypesProvided(x)
    return fail(problem('not-acceptable', `None of the media types in Accept can be produced here; available: ${available.join(', ')}.`, { extensions: { available }, headers: { Vary: 'Accept' } }))
  },

  // P3 Is the transition legal, for this caller, in this state? (409 / 403)
  p3: (x) => {
    if (x.route.kind !== 'action') return next('p4')
    const refusal = admit(x)
    return refusal === undefined ? next('p4') : fail(refusal)
  },

  // P4 Does the body satisfy its schema? (RFC 9110 §15.5.21)
  p4: (x) => {
    if (x.method !== 'POST') return next('o18')
    const refusal = validateInput(x)
    return refusal === undefined ? next('n11') : fail(refusal)
  },

  // N11 Process the POST: create (201 + Location) or transition (200).
  n11: (x) => handlerOf(x).process(x).then(halt),

  // O18 Build the representation (200).
  o18: (x) => halt(handlerOf(x).represent(x)),
}

const currentVersion = (x: Exchange): Record<string, unknown> =>
  x.row === undefined ? {} : { current_version: x.row.version, current_state: x.row.state }

// The form label by itself, body or none: an empty form is still a browser's form post.
const FORM_LABEL = /^application\/x-www-form-urlencoded\s*(;|$)/i

async function readAndParse(x: Exchange): Promise<void> {
  const raw = await readBody(x.ctx.req, x.app.settings.maxBodyBytes, x.app.settings.bodyTimeoutMs)
  x.raw = raw
  if (FORM_LABEL.test(fieldOf(x.ctx, 'content-type'))) x.bodyKind = 'form'
  if (raw.kind === 'unreadable') x.malformed = raw.reason
  if (raw.kind !== 'bytes') return
  const type = x.ctx.request.is(...bodyTypes)
  if (type === 'application/json') {
    const parsed = parseJson(raw.bytes, x.app.settings.maxJsonDepth)
    if (parsed.ok) {
      x.input = parsed.value
      x.bodyKind = 'json'
    }
    else x.malformed = parsed.reason
  } else if (type === 'application/x-www-form-urlencoded') {
    if (looksLikeJson(raw.bytes)) {
      x.malformed = JSON_HINT
      return
    }
    const parsed = parseForm(raw.bytes)
    if (!parsed.ok) {
      x.malformed = parsed.reason
      return
    }
    const { _if_match: ifMatch, ...fields } = parsed.value as Record<string, string>
    if (ifMatch !== undefined) x.formIfMatch = ifMatch
    x.input = formInput(x.route.entry?.compiled.formFields.get(x.route.action ?? 'create') ?? [], fields, x.app.settings.maxJsonDepth)
    x.bodyKind = 'form'
  }
}

const decisions = new Map<Cell, Decision>(Object.entries(nodes) as [Cell, Decision][])

/**
 * Walks the graph from B8a, recording the path in `x.trace` when it is kept. Stays
 * synchronous until a cell answers with a promise (reading a body, committing a write),
 * so a GET costs no promise at all.
 */
export function runGraph(x: Exchange): Reply | Promise<Reply> {
  return walk(x, 'b8a')
}

function walk(x: Exchange, from: Cell): Reply | Promise<Reply> {
  let cell = from
  for (;;) {
    x.trace?.push(cell)
    const outcome = (decisions.get(cell) as Decision)(x)
    if (outcome instanceof Promise) return outcome.then((settled) => (settled.kind === 'halt' ? settled.reply : walk(x, settled.cell)))
    if (outcome.kind === 'halt') return outcome.reply
    cell = outcome.cell
  }
}
