import { randomUUID } from 'node:crypto'
import type { CollectionView, Representor } from '../../../representors/types.ts'
import { canCreate, ownerScope } from '../../auth/policy.ts'
import { legalActions } from '../../legal-actions.ts'
import { after } from '../../awaitable.ts'
import type { Awaitable, NewResource } from '../../store/types.ts'
import { claimOf, inFlightProblem, recordOf } from '../features/idempotency.ts'
import { fieldOf } from '../protocol/request-field.ts'
import type { Exchange } from '../graph/exchange.ts'
import { linkHeader, linkTemplateHeader } from '../protocol/link-header.ts'
import { problem } from '../reply/problem.ts'
import { problemReply } from '../reply/reply.ts'
import { collectionWithContract } from '../views/contract-links.ts'
import { collectionUrl, collectionView, digestEtag, resourceView } from '../views/views.ts'
import { defaultAnswers } from './defaults.ts'
import { choose, ifMatchOf, render, VARY, type Handler } from './handler-kit.ts'
import { entryOf, written } from './item.ts'
import { nextLink, pageProblem, pageQuery, searchOf } from './query.ts'

/** Before G7: the rows of the page asked for (one more than shown, to know whether a next page exists). */
function fetchPage(x: Exchange): Awaitable<void> {
  const entry = entryOf(x)
  const principal = x.principal
  const q = pageQuery(x)
  if (principal === undefined || typeof q === 'string') return
  // A create loads the page only to compare a validator (If-Match: the page the client saw).
  if (x.method === 'POST' && ifMatchOf(x) === undefined && fieldOf(x.ctx, 'if-none-match') === '') return
  return after(x.app.store.list({ type: entry.type.name, tenant: principal.tenant, owner: ownerScope(entry.type, principal), after: q.after, limit: q.limit + 1, ...(q.filters.length > 0 && { filters: q.filters }), ...(q.sort !== undefined && { sort: q.sort }) }), (rows) => {
    x.fetchedRows = rows
  })
}

function loadPage(x: Exchange): boolean {
  const entry = entryOf(x)
  const principal = x.principal
  const q = pageQuery(x)
  const rows = x.fetchedRows
  if (principal === undefined || typeof q === 'string' || rows === undefined) return false
  const more = rows.length > q.limit
  const shown = more ? rows.slice(0, q.limit) : rows
  const last = shown[shown.length - 1]
  const views = shown.map((row) => resourceView(x.app.settings.basePath, entry.type, entry.compiled, row, legalActions(entry.type, row, principal), undefined, principal))
  const nextUrl = more && last !== undefined ? nextLink(x, collectionUrl(x.app.settings.basePath, entry.type), last.seq, q.limit) : undefined
  x.page = { views, canCreate: canCreate(entry.type, principal), ...(nextUrl !== undefined && { next: nextUrl }) }
  return true
}

/** The page's view, built once per request for both the body and the Link field. */
function pageView(x: Exchange): CollectionView {
  if (x.pageView === undefined) {
    const entry = entryOf(x)
    const page = x.page ?? { views: [], canCreate: false }
    const search = searchOf(x)
    const filters = typeof search === 'string' ? undefined : search.canonical
    x.pageView = collectionWithContract(x.app.settings.basePath, collectionView(x.app.settings.basePath, entry.type, entry.compiled, page.views, page.next, page.canCreate, x.principal, filters), x.representor)
  }
  return x.pageView
}

function collectionBody(x: Exchange): string {
  x.rendered ??= render(x, pageView(x))
  return x.rendered
}

function collectionHeaders(x: Exchange): Record<string, string> {
  const view = pageView(x)
  return {
    Vary: VARY, 'Cache-Control': 'private, no-cache', ETag: x.hooks.etag(x) ?? digestEtag(collectionBody(x)), Link: linkHeader(view.links, view.create === undefined ? [] : [view.create]),
    ...(view.search !== undefined && { 'Link-Template': linkTemplateHeader(view.search.template, 'search') }),
  }
}

/** `/{collection}`: a keyset page of what this caller may see, and creating in the initial state. */
export const collection: Handler = {
  load: fetchPage,
  hooks: {
    malformed: (x) => defaultAnswers.malformed(x) ?? (x.method === 'POST' ? undefined : pageProblem(x)),
    resourceExists: (x) => (x.method === 'POST' ? true : loadPage(x)),
    // A create may be conditional on the list too (If-Match: the page the client saw), so POST loads the page when asked.
    etag: (x) => (choose(x) === false || (x.page === undefined && !loadPage(x)) ? undefined : digestEtag(collectionBody(x))),
  },
  validatorHeaders: collectionHeaders,
  represent: (x) => ({ status: 200, type: (x.representor as Representor).mediaType, headers: collectionHeaders(x), body: collectionBody(x) }),
  async process(x) {
    const entry = entryOf(x)
    const principal = x.principal
    if (principal === undefined) return problemReply(problem('unauthorized', 'Sign in first.'))
    const data = (x.input ?? {}) as Record<string, unknown>
    const row: NewResource = { id: randomUUID(), type: entry.type.name, tenant: principal.tenant, owner: principal.id, state: entry.type.machine.initial, data, actor: principal.id, at: x.app.settings.now() }
    const outcome = await x.app.store.create({
      row,
      key: claimOf(x),
      answer: (created) => {
        if (x.representor?.embedsHistory === true) x.history = [{ seq: 1, action: 'create', from: null, to: created.state, input: data, actor: principal.id, at: created.created_at }]
        const reply = written(x, created, 201)
        return { value: reply, record: recordOf(x, reply) }
      },
    })
    return outcome.kind === 'created' ? outcome.value : problemReply(inFlightProblem())
  },
}
