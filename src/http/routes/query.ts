import { cursorScope } from '../features/cursor.ts'
import type { Exchange, RouteKind } from '../graph/exchange.ts'

/** The query parameters each kind of route reads; any other is refused, not ignored. */
const knownParameters: Readonly<Record<RouteKind, readonly string[]>> = {
  none: [],
  entry: [],
  health: [],
  ready: [],
  machine: ['state'],
  schema: [],
  'problem-type': [],
  collection: ['limit', 'after'],
  item: [],
  history: ['limit', 'after'],
  action: [],
  session: [],
}

/** The parameters this request's route reads. */
const parametersOf = (x: Exchange): readonly string[] => knownParameters[x.route.kind]

// Names are echoed back: a few, each cut short, however many a request sends.
const SHOWN_NAMES = 3
const SHOWN_LENGTH = 40
const shown = (name: string): string => JSON.stringify(name.length > SHOWN_LENGTH ? `${name.slice(0, SHOWN_LENGTH)}…` : name)

/** Why the query names a parameter the route does not read (a filter that would silently not filter), or undefined. */
export function unknownParameters(x: Exchange): string | undefined {
  const known = parametersOf(x)
  const unknown = Object.keys(x.ctx.query).filter((name) => !known.includes(name))
  if (unknown.length === 0) return undefined
  const more = unknown.length > SHOWN_NAMES ? ` and ${unknown.length - SHOWN_NAMES} more` : ''
  const names = `${unknown.slice(0, SHOWN_NAMES).map(shown).join(', ')}${more}`
  const reads = known.length === 0 ? 'this route reads no query parameters' : `this route reads only ${known.join(', ')}`
  return `Unknown query parameter${unknown.length === 1 ? '' : 's'} ${names}: ${reads}.`
}

/** A keyset page request: how many items, after which position. */
export interface PageQuery {
  readonly limit: number
  readonly after: number
}

const WHOLE = /^[1-9][0-9]{0,14}$/

/** What a page's cursors are bound to: the list (a collection, one resource's history) and the caller (resolved by B8a, the first cell). */
export function pageScope(x: Exchange): string | undefined {
  const principal = x.principal
  const list = x.route.kind === 'history' ? x.route.id : x.route.entry?.type.name
  return principal === undefined || list === undefined ? undefined : cursorScope(x.route.kind, list, principal.tenant, principal.id)
}

/**
 * `limit` and `after` as a page, or why they cannot be read. Without a known caller the
 * cursor is left unread: the request is refused for want of credentials anyway.
 */
export function pageQuery(x: Exchange): PageQuery | string {
  const { limit: rawLimit, after: rawAfter } = x.ctx.query
  const { defaultPageSize, maxPageSize } = x.app.settings
  let limit = defaultPageSize
  if (rawLimit !== undefined) {
    if (typeof rawLimit !== 'string' || !WHOLE.test(rawLimit) || Number(rawLimit) > maxPageSize) return `"limit" must be a whole number from 1 to ${maxPageSize}.`
    limit = Number(rawLimit)
  }
  if (rawAfter === undefined) return { limit, after: 0 }
  if (typeof rawAfter !== 'string') return '"after" must be one cursor, taken from a next link.'
  const scope = pageScope(x)
  if (scope === undefined) return { limit, after: 0 }
  const after = x.app.cursors.open(scope, rawAfter)
  return after === undefined ? '"after" is not a cursor of this list for you: take it from a next link of this list, fetched with your credentials.' : { limit, after }
}

/** The next page's link: the cursor sealed for this caller, and the limit when one was asked for. */
export function nextLink(x: Exchange, path: string, last: number, limit: number): string | undefined {
  const scope = pageScope(x)
  if (scope === undefined) return undefined
  return `${path}?after=${x.app.cursors.seal(scope, last)}${x.ctx.query.limit === undefined ? '' : `&limit=${limit}`}`
}

/** Why `limit` or `after` cannot be read, or undefined. */
export const pageProblem = (x: Exchange): string | undefined => {
  const q = pageQuery(x)
  return typeof q === 'string' ? q : undefined
}
