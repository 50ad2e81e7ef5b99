import { createHash } from 'node:crypto'
import type { HistoryView, Representor } from '../../../representors/types.ts'
import type { Exchange } from '../graph/exchange.ts'
import { httpDate } from '../protocol/conditional.ts'
import { linkHeader } from '../protocol/link-header.ts'
import { historyView, itemUrl } from '../views/views.ts'
import { defaultAnswers } from './defaults.ts'
import { choose, render, VARY, type Handler } from './handler-kit.ts'
import { entryOf, fetchRow, loadRow, rowOf } from './item.ts'
import { nextLink, pageProblem, pageQuery, pageScope, type PageQuery } from './query.ts'
import { after } from '../../awaitable.ts'
import type { Awaitable } from '../../store/types.ts'

/** One page of the resource's log, oldest first, with a next link sealed for this caller. */
const pageOf = (x: Exchange): PageQuery => {
  const q = pageQuery(x)
  return typeof q === 'string' ? { after: 0, limit: x.app.settings.defaultPageSize, filters: [] } : q
}

/** Before O18: the page's entries (one more than shown, to know whether a next page exists). */
const fetchEntries = (x: Exchange): Awaitable<void> => {
  const page = pageOf(x)
  return after(x.app.store.history(rowOf(x).id, { after: page.after, limit: page.limit + 1 }), (rows) => {
    x.history = rows
  })
}

function historyPageView(x: Exchange): HistoryView {
  const entry = entryOf(x)
  const row = rowOf(x)
  const page = pageOf(x)
  const rows = x.history ?? []
  const more = rows.length > page.limit
  const shown = more ? rows.slice(0, page.limit) : rows
  const last = shown[shown.length - 1]
  const next = more && last !== undefined ? nextLink(x, `${itemUrl(x.app.settings.basePath, entry.type, row.id)}/history`, last.seq, page.limit) : undefined
  return historyView(x.app.settings.basePath, entry.type, row, shown, next)
}

// Next links are sealed for one caller, so the tag names the caller too: one tag, one body.
const historyTag = (x: Exchange): string =>
  `"h${rowOf(x).version}-${(x.representor as Representor).code}${createHash('sha256').update(pageScope(x) ?? '').digest('hex').slice(0, 8)}"`

const historyHeaders = (x: Exchange): Record<string, string> =>
  ({ Vary: VARY, 'Cache-Control': 'private, no-cache', ETag: historyTag(x), 'Last-Modified': httpDate(rowOf(x).updated_at) })

/** `/{collection}/{id}/history`: the resource's log, a keyset page at a time. */
export const history: Handler = {
  load: fetchRow,
  prepare: fetchEntries,
  hooks: {
    malformed: (x) => defaultAnswers.malformed(x) ?? pageProblem(x),
    resourceExists: loadRow,
    // A page's entries are fixed once written: the version, the caller and the query (the URL) name its body.
    etag: (x) => (choose(x) === false || x.row === undefined ? undefined : historyTag(x)),
  },
  validatorHeaders: historyHeaders,
  represent: (x) => {
    const view = historyPageView(x)
    return { status: 200, type: (x.representor as Representor).mediaType, headers: { ...historyHeaders(x), Link: linkHeader(view.links, []) }, body: render(x, view) }
  },
}
