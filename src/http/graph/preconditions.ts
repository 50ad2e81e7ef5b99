import { notModifiedHeaders, parseHttpDate, parseTagList, strongMatch, tagListError, toSeconds, weakMatch, type EntityTag } from '../protocol/conditional.ts'
import { fieldOf } from '../protocol/request-field.ts'
import { problem } from '../reply/problem.ts'
import { handlerOf, type Handler } from '../routes/handlers.ts'
import { ifMatchOf } from '../routes/handler-kit.ts'
import { versionOfTag } from '../views/views.ts'
import type { Exchange } from './exchange.ts'
import { fail, halt, next, type Decision, type Outcome } from './outcome.ts'

// The conditional request cells (RFC 9110 §13.2.2), in the order the standard evaluates them:
// If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since. flow.ts enters them at G8.

const isRead = (x: Exchange): boolean => x.method === 'GET' || x.method === 'HEAD'

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

// Only GET and HEAD reach a 304 (J18, L17), on routes that represent something.
const validatorsOf = (x: Exchange): Record<string, string> => (handlerOf(x).validatorHeaders as NonNullable<Handler['validatorHeaders']>)(x)

const notModified = (x: Exchange): Outcome => halt({ status: 304, headers: notModifiedHeaders(validatorsOf(x)) })

const currentVersion = (x: Exchange): Record<string, unknown> =>
  x.row === undefined ? {} : { current_version: x.row.version, current_state: x.row.state }

type Precondition = 'g8' | 'g9' | 'g11' | 'h10' | 'h11' | 'h12' | 'i12' | 'i13' | 'k13' | 'j18' | 'l13' | 'l14' | 'l15' | 'l17'

export const preconditions: Readonly<Record<Precondition, Decision>> = {
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
}
