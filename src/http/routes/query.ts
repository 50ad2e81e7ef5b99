import { parseSearch, searchParameters, type Search } from '../../search/parse.ts'
import type { Filter, Sort } from '../../store/types.ts'
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

/** The parameters this request's route reads: a collection's include its type's search. */
const parametersOf = (x: Exchange): readonly string[] => {
  const entry = x.route.entry
  return x.route.kind === 'collection' && entry !== undefined ? searchParameters(entry.type.search) : knownParameters[x.route.kind]
}

const NO_SEARCH: Search = { filters: [], canonical: '' }

// Read once per request: the page's fetch, G7, the cursors and the links all ask.
const searches = new WeakMap<Exchange, Search | string>()
const pages = new WeakMap<Exchange, PageQuery | string>()

/** The filters a collection's query asks for (none on other routes), or why they cannot be read. */
export function searchOf(x: Exchange): Search | string {
  const entry = x.route.entry
  if (x.route.kind !== 'collection' || entry === undefined) return NO_SEARCH
  let search = searches.get(x)
  if (search === undefined) {
    search = parseSearch(entry.type.search, x.ctx.query)
    searches.set(x, search)
  }
  return search
}

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
  /** The conditions every item meets (none on a history). */
  readonly filters: readonly Filter[]
  readonly sort?: Sort | undefined
}

const WHOLE = /^[1-9][0-9]{0,14}$/

/**
 * What a page's cursors are bound to: the list (a collection under its filters, one resource's
 * history) and the caller (resolved by B8a, the first cell). A cursor of one search opens no other's page.
 */
export function pageScope(x: Exchange): string | undefined {
  const principal = x.principal
  const list = x.route.kind === 'history' ? x.route.id : x.route.entry?.type.name
  const search = searchOf(x)
  if (principal === undefined || list === undefined || typeof search === 'string') return undefined
  return search.canonical === '' ? cursorScope(x.route.kind, list, principal.tenant, principal.id) : cursorScope(x.route.kind, list, principal.tenant, principal.id, search.canonical)
}

/**
 * `limit` and `after` as a page, or why they cannot be read. Without a known caller the
 * cursor is left unread: the request is refused for want of credentials anyway.
 */
export function pageQuery(x: Exchange): PageQuery | string {
  let page = pages.get(x)
  if (page === undefined) {
    page = readPage(x)
    pages.set(x, page)
  }
  return page
}

function readPage(x: Exchange): PageQuery | string {
  const search = searchOf(x)
  if (typeof search === 'string') return search
  const { filters } = search
  const sorted = search.sort === undefined ? {} : { sort: search.sort }
  const { limit: rawLimit, after: rawAfter } = x.ctx.query
  const { defaultPageSize, maxPageSize } = x.app.settings
  let limit = defaultPageSize
  if (rawLimit !== undefined) {
    if (typeof rawLimit !== 'string' || !WHOLE.test(rawLimit) || Number(rawLimit) > maxPageSize) return `"limit" must be a whole number from 1 to ${maxPageSize}.`
    limit = Number(rawLimit)
  }
  if (rawAfter === undefined) return { limit, after: 0, filters, ...sorted }
  if (typeof rawAfter !== 'string') return '"after" must be one cursor, taken from a next link.'
  const scope = pageScope(x)
  if (scope === undefined) return { limit, after: 0, filters, ...sorted }
  const after = x.app.cursors.open(scope, rawAfter)
  return after === undefined ? '"after" is not a cursor of this list for you: take it from a next link of this list, with the same filters, fetched with your credentials.' : { limit, after, filters, ...sorted }
}

/** The next page's link: the filters, the cursor sealed for this caller and them, and the limit when one was asked for. */
export function nextLink(x: Exchange, path: string, last: number, limit: number): string | undefined {
  const scope = pageScope(x)
  const search = searchOf(x)
  if (scope === undefined || typeof search === 'string') return undefined
  const filters = search.canonical === '' ? '' : `${search.canonical}&`
  return `${path}?${filters}after=${x.app.cursors.seal(scope, last)}${x.ctx.query.limit === undefined ? '' : `&limit=${limit}`}`
}

/** Why `limit` or `after` cannot be read, or undefined. */
export const pageProblem = (x: Exchange): string | undefined => {
  const q = pageQuery(x)
  return typeof q === 'string' ? q : undefined
}
