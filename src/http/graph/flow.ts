import { JSON_HINT, looksLikeJson, parseForm, parseJson, readBody, unsupportedTransferCoding } from '../protocol/body.ts'
import type { Exchange } from './exchange.ts'
import type { Reply } from '../reply/reply.ts'
import { handlerOf, type Handler } from '../routes/handlers.ts'
import { notReady } from '../routes/static.ts'
import { choose, ifMatchOf } from '../routes/handler-kit.ts'
import { problem } from '../reply/problem.ts'
import { admit, validateInput } from './admission.ts'
import { fail, halt, next, type Cell, type Decision, type Outcome } from './outcome.ts'
import { preconditions } from './preconditions.ts'
import { bodyTypes } from '../protocol/body-types.ts'
import { hasContentCoding } from '../routes/defaults.ts'
import { authenticate } from '../features/authenticate.ts'
import { bearerChallenge } from '../../auth/bearer.ts'
import { formInput } from '../protocol/form-values.ts'
import { checkIdempotencyKey } from '../features/idempotency.ts'
import { throttle } from '../features/throttle.ts'
import { fieldOf } from '../protocol/request-field.ts'
import { hostIsOurs } from '../protocol/origin.ts'
import { after } from '../../awaitable.ts'

const allowHeader = (x: Exchange): string => x.route.methods.join(', ')

// B10 admitted only the route's own methods: a POST reaches N11 only on a route that processes one, a read O18 only on one that represents.
type Process = NonNullable<Handler['process']>
type Represent = NonNullable<Handler['represent']>

// Reads without a body stay synchronous: no promise, no extra microtask per GET.
const wellFormed = (x: Exchange): Outcome => {
  const reason = x.hooks.malformed(x)
  return reason === undefined ? next('b7') : fail(problem('malformed-request', reason))
}

const bodyTimedOut = (x: Exchange): Outcome =>
  fail(problem('request-timeout', `The body did not arrive within ${x.app.settings.bodyTimeoutMs} ms.`, { headers: { Connection: 'close' } }))

// Nothing of the request was done, so it is safe to send again: another instance, or this one restarted, can take it at once.
const stopping = problem('service-unavailable', 'The server is shutting down; this request was not processed, so it is safe to send again.', { headers: { 'Retry-After': '1', Connection: 'close' } })

/** The decision graph, cell by cell in the webmachine diagram's order of asking (outcome.ts names the cells). */
export const nodes: Readonly<Record<Cell, Decision>> = {
  // B8a Too many requests from this caller? (RFC 6585 §4) — first, so that no answer is free, 401
  // and 404 included: a known principal draws from its own bucket, anyone else from their address's.
  b8a: (x) => after(authenticate(x), () => {
    const verdict = throttle(x)
    if (verdict.ok) return next('b14')
    const wait = String(verdict.retryAfterSeconds)
    return fail(problem('too-many-requests', `Too many requests; try again in ${wait} s.`, { headers: { 'Retry-After': wait }, extensions: { retry_after: verdict.retryAfterSeconds } }))
  }),

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
  // (The route fetches what it names first; the question is then answered on what was found.)
  g7: (x) => after(handlerOf(x).load?.(x), () =>
    x.hooks.resourceExists(x) ? next('g5') : fail(problem('not-found', `There is no ${x.route.entry?.type.name ?? 'resource'} at ${x.ctx.path}.`))),

  // G5 Idempotent replay? (draft-ietf-httpapi-idempotency-key-header §2.6) — before preconditions, so a stale If-Match still replays.
  g5: (x) => after(checkIdempotencyKey(x), (verdict) => {
    switch (verdict.kind) {
      case 'replay': return halt(verdict.reply)
      case 'refuse': return fail(verdict.problem)
      default: return next('g6')
    }
  }),

  // G6 Precondition required? (RFC 6585 §3)
  g6: (x) => x.route.kind === 'action' && x.route.entry?.type.requirePreconditions === true && ifMatchOf(x) === undefined
    ? fail(problem('precondition-required', 'This resource requires conditional transitions: GET it, then resend the request with its ETag in If-Match.'))
    : next('c4'),

  // G8 to L17 Preconditions (RFC 9110 §13.2.2), entered at G8 once C4 has chosen a representation.
  ...preconditions,

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
  n11: (x) => (handlerOf(x).process as Process)(x).then(halt),

  // O18 Build the representation (200).
  o18: (x) => after(handlerOf(x).prepare?.(x), () => halt((handlerOf(x).represent as Represent)(x))),
}

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
