import type { Representor, ResourceView } from '../../../representors/types.ts'
import { canSee } from '../../auth/policy.ts'
import { legalActions } from '../../legal-actions.ts'
import { after } from '../../awaitable.ts'
import type { Awaitable, Change, HistoryRow, ResourceRow } from '../../store/types.ts'
import type { Exchange, TypeEntry } from '../graph/exchange.ts'
import { httpDate } from '../protocol/conditional.ts'
import type { Reply } from '../reply/reply.ts'
import { withContract } from '../views/contract-links.ts'
import { itemLinkField } from '../views/item-links.ts'
import { itemUrl, resourceEtag, resourceView } from '../views/views.ts'
import { choose, render, VARY, type Handler } from './handler-kit.ts'

/** Before G7 for a resource's routes: the row the path names, for a caller who may see some (anonymous callers see none). */
export const fetchRow = (x: Exchange): Awaitable<void> => {
  if (x.route.entry === undefined || x.route.id === undefined || x.principal === undefined) return
  return after(x.app.store.get(x.route.id), (row) => {
    x.fetched = row ?? null
  })
}

/** G7 for a resource's routes: the row fetched, if this caller may see it, with the actions legal for them now. */
export const loadRow = (x: Exchange): boolean => {
  const entry = x.route.entry
  const row = x.fetched
  if (entry === undefined || x.principal === undefined || row === undefined || row === null) return false
  if (row.type !== entry.type.name || !canSee(entry.type, x.principal, row)) return false
  x.row = row
  x.actions = legalActions(entry.type, row, x.principal)
  return true
}

export const entryOf = (x: Exchange): TypeEntry => x.route.entry as TypeEntry
export const rowOf = (x: Exchange): ResourceRow => x.row as ResourceRow

function itemHeaders(x: Exchange, entry: TypeEntry, row: ResourceRow, links = true): Record<string, string> {
  // Asked of the item's answers (a type's hooks over the route's), so that the validator sent is the one compared,
  // also when the item was just created through its collection.
  const answers = entry.hooks.item
  const headers: Record<string, string> = { Vary: VARY, 'Cache-Control': 'private, no-cache' }
  const tag = answers.etag(x)
  if (tag !== undefined) headers.ETag = tag
  // A 304 sends no Last-Modified beside an ETag and no Link (RFC 9110 §15.4.5): no view to build.
  if (!links && headers.ETag !== undefined) return headers
  headers['Last-Modified'] = httpDate(answers.lastModified(x) ?? row.updated_at)
  if (!links) return headers
  headers.Link = itemLinkField(x.app.settings.basePath, entry, x.representor, row, x.actions ?? [])
  return headers
}

/** How many of its latest transitions a page that embeds history shows; the rest are a link away. */
const EMBEDDED_HISTORY = 10

function itemView(x: Exchange): ResourceView {
  if (x.view === undefined) {
    const entry = entryOf(x)
    const row = rowOf(x)
    const history = x.representor?.embedsHistory === true ? x.history : undefined
    const etag = itemHeaders(x, entry, row, false).ETag
    const base = x.app.settings.basePath
    const view = resourceView(base, entry.type, entry.compiled, row, x.actions ?? [], history, x.principal)
    x.view = withContract(base, etag === undefined ? view : { ...view, etag }, entry.type.name, x.representor)
  }
  return x.view
}

/** The latest entries of the row's log, when the chosen representor embeds them (undefined otherwise). */
export const fetchEmbedded = (x: Exchange, row: ResourceRow): Awaitable<readonly HistoryRow[] | undefined> =>
  x.representor?.embedsHistory === true ? after(x.app.store.history(row.id, { latest: EMBEDDED_HISTORY }), (rows) => (x.history = rows)) : undefined

/**
 * The embedded log after a transition from `from`: the entries fetched before the write
 * and the one it adds. Fetched from an older row (the write found it moved on), they
 * would leave a gap, so then only the new entry is shown.
 */
export function withEntry(x: Exchange, before: readonly HistoryRow[] | undefined, from: ResourceRow, change: Change): void {
  if (before === undefined) return
  const entry: HistoryRow = { seq: from.version + 1, action: change.action, from: from.state, to: change.to, input: change.input ?? null, actor: change.actor, at: change.at }
  const current = before[before.length - 1]?.seq === from.version
  x.history = current ? [...before, entry].slice(-EMBEDDED_HISTORY) : [entry]
}

export const item: Handler = {
  load: fetchRow,
  prepare: (x) => after(fetchEmbedded(x, rowOf(x)), () => undefined),
  hooks: {
    resourceExists: loadRow,
    etag: (x) => (choose(x) === false || x.row === undefined ? undefined : resourceEtag(x.row, (x.representor as Representor).code, entryOf(x).type, x.actions ?? [])),
  },
  validatorHeaders: (x) => itemHeaders(x, entryOf(x), rowOf(x), false),
  represent: (x) => ({ status: 200, type: (x.representor as Representor).mediaType, headers: itemHeaders(x, entryOf(x), rowOf(x)), body: render(x, itemView(x)) }),
}

/** Replies with a resource just written: its new representation, ETag and Content-Location. */
export function written(x: Exchange, row: ResourceRow, status: 200 | 201): Reply {
  const entry = entryOf(x)
  // A browser's form post is answered See Other, so reloading the page it lands on cannot post again (RFC 9110 §15.4.4).
  if (x.bodyKind === 'form' && x.chosen === 'text/html') return { status: 303, headers: { Vary: VARY, Location: itemUrl(x.app.settings.basePath, entry.type, row.id) } }
  x.row = row
  x.actions = legalActions(entry.type, row, x.principal)
  x.view = undefined
  const headers = itemHeaders(x, entry, row)
  headers['Content-Location'] = itemUrl(x.app.settings.basePath, entry.type, row.id)
  if (status === 201) headers.Location = headers['Content-Location']
  return { status, type: (x.representor as Representor).mediaType, headers, body: render(x, itemView(x)) }
}
