import { createHash, randomUUID } from 'node:crypto'
import { canCreate, canSee, ownerScope } from '../../auth/policy.ts'
import { decide, legalActions } from '../../legal-actions.ts'
import type { ResourceRow } from '../../store/types.ts'
import type { CollectionView, HistoryView, Representor } from '../../../representors/types.ts'
import { refusalProblem } from '../graph/admission.ts'
import { httpDate } from '../protocol/conditional.ts'
import { keyClash, keyTakenMeanwhile, rememberReply } from '../features/idempotency.ts'
import type { Exchange, RouteKind, TypeEntry } from '../graph/exchange.ts'
import { problemReply, type Reply } from '../reply/reply.ts'
import { choose, ifMatchOf, noProcess, render, VARY, type Handler } from './handler-kit.ts'
import { defaultAnswers } from '../graph/defaults.ts'
import { linkHeader } from '../protocol/link-header.ts'
import { itemLinkField } from '../views/item-links.ts'
import { collectionWithContract, withContract } from '../views/contract-links.ts'
import { problem, type Problem } from '../reply/problem.ts'
import { nextLink, pageQuery, pageScope } from './query.ts'
import { session } from './session.ts'
import { entryPoint, health, machine, problemType, ready, schema } from './static.ts'
import { collectionUrl, collectionView, digestEtag, historyView, itemUrl, resourceEtag, resourceView } from '../views/views.ts'

export type { Handler } from './handler-kit.ts'

const loadRow = (x: Exchange): boolean => {
  const entry = x.route.entry
  if (entry === undefined || x.route.id === undefined || x.principal === undefined) return false
  const row = x.app.store.get(x.route.id)
  if (row === undefined || row.type !== entry.type.name || !canSee(entry.type, x.principal, row)) return false
  x.row = row
  x.actions = legalActions(entry.type, row, x.principal)
  return true
}

const entryOf = (x: Exchange): TypeEntry => x.route.entry as TypeEntry
const rowOf = (x: Exchange): ResourceRow => x.row as ResourceRow

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

function itemView(x: Exchange): import('../../../representors/types.ts').ResourceView {
  if (x.view === undefined) {
    const entry = entryOf(x)
    const row = rowOf(x)
    const history = x.representor?.embedsHistory === true ? x.app.store.history(row.id, { latest: EMBEDDED_HISTORY }) : undefined
    const etag = itemHeaders(x, entry, row, false).ETag
    const base = x.app.settings.basePath
    const view = resourceView(base, entry.type, entry.compiled, row, x.actions ?? [], history, x.principal)
    x.view = withContract(base, etag === undefined ? view : { ...view, etag }, entry.type.name, x.representor)
  }
  return x.view
}

const item: Handler = {
  hooks: {
    resourceExists: loadRow,
    etag: (x) => (choose(x) === false || x.row === undefined ? undefined : resourceEtag(x.row, (x.representor as Representor).code, entryOf(x).type, x.actions ?? [])),
  },
  validatorHeaders: (x) => itemHeaders(x, entryOf(x), rowOf(x), false),
  represent: (x) => ({ status: 200, type: (x.representor as Representor).mediaType, headers: itemHeaders(x, entryOf(x), rowOf(x)), body: render(x, itemView(x)) }),
  process: noProcess,
}

/** Replies with a resource just written: its new representation, ETag and Content-Location. */
function written(x: Exchange, row: ResourceRow, status: 200 | 201): Reply {
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

const action: Handler = {
  ...item,
  async process(x) {
    const entry = entryOf(x)
    const seen = rowOf(x)
    const name = x.route.action as string
    const input = (x.input ?? {}) as Record<string, unknown>
    const hadIfMatch = ifMatchOf(x) !== undefined
    const principal = x.principal
    const outcome = await x.app.store.write((tx): { ok: true; reply: Reply; from: string; to: string } | { ok: false; problem: Problem } => {
      // Decide again inside the write transaction: the row may have moved since G7 read it.
      const fresh = tx.get(seen.id)
      if (fresh === undefined) return { ok: false, problem: problem('not-found', 'The resource is gone.') }
      const taken = keyTakenMeanwhile(x)
      if (taken !== undefined) return { ok: false, problem: taken }
      if (fresh.version !== seen.version && hadIfMatch) {
        return { ok: false, problem: problem('precondition-failed', 'The resource changed while your request waited (If-Match); GET it again and resubmit.', { extensions: { current_version: fresh.version, current_state: fresh.state } }) }
      }
      const verdict = decide(entry.type, fresh, name, principal)
      if (!verdict.ok) return { ok: false, problem: refusalProblem(verdict.error, fresh, entry, principal) }
      const data = entry.type.apply?.(fresh.data, name, input) ?? { ...fresh.data, ...input }
      const row = tx.transition({ id: fresh.id, expectedVersion: fresh.version, action: name, from: fresh.state, to: verdict.to, data, input, actor: principal?.id ?? null, at: x.app.settings.now() })
      if (row === undefined) return { ok: false, problem: problem('request-in-flight', 'Another transition won the race; GET the resource and try again.') }
      // Rendered inside the transaction so that an Idempotency-Key stores the very reply, with the effect.
      const reply = written(x, row, 200)
      rememberReply(tx, x, reply)
      return { ok: true, reply, from: fresh.state, to: verdict.to }
    }).catch(keyClash)
    if ('status' in outcome) return outcome
    if (!outcome.ok) return problemReply(outcome.problem)
    // Counted once committed: a transition rolled back, refused or replayed is none.
    x.app.ops.metrics?.transition(entry.type.name, name, outcome.from, outcome.to)
    return outcome.reply
  },
}

function loadPage(x: Exchange): boolean {
  const entry = entryOf(x)
  const principal = x.principal
  const q = pageQuery(x)
  if (principal === undefined || typeof q === 'string') return false
  const rows = x.app.store.list({ type: entry.type.name, tenant: principal.tenant, owner: ownerScope(entry.type, principal), after: q.after, limit: q.limit + 1 })
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
    x.pageView = collectionWithContract(x.app.settings.basePath, collectionView(x.app.settings.basePath, entry.type, entry.compiled, page.views, page.next, page.canCreate, x.principal), x.representor)
  }
  return x.pageView
}

function collectionBody(x: Exchange): string {
  x.rendered ??= render(x, pageView(x))
  return x.rendered
}

function collectionHeaders(x: Exchange): Record<string, string> {
  const view = pageView(x)
  return { Vary: VARY, 'Cache-Control': 'private, no-cache', ETag: x.hooks.etag(x) ?? digestEtag(collectionBody(x)), Link: linkHeader(view.links, view.create === undefined ? [] : [view.create]) }
}

/** Why `limit` or `after` cannot be read, or undefined. */
const pageProblem = (x: Exchange): string | undefined => {
  const q = pageQuery(x)
  return typeof q === 'string' ? q : undefined
}

const collection: Handler = {
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
    return x.app.store.write((tx) => {
      const row = tx.insert({ id: randomUUID(), type: entry.type.name, tenant: principal.tenant, owner: principal.id, state: entry.type.machine.initial, data, actor: principal.id, at: x.app.settings.now() })
      const reply = written(x, row, 201)
      rememberReply(tx, x, reply)
      return reply
    }).catch(keyClash)
  },
}

/** One page of the resource's log, oldest first, with a next link sealed for this caller. */
function historyPageView(x: Exchange): HistoryView {
  const entry = entryOf(x)
  const row = rowOf(x)
  const q = pageQuery(x)
  const page = typeof q === 'string' ? { after: 0, limit: x.app.settings.defaultPageSize } : q
  const rows = x.app.store.history(row.id, { after: page.after, limit: page.limit + 1 })
  const more = rows.length > page.limit
  const shown = more ? rows.slice(0, page.limit) : rows
  const last = shown[shown.length - 1]
  const next = more && last !== undefined ? nextLink(x, `${itemUrl(x.app.settings.basePath, entry.type, row.id)}/history`, last.seq, page.limit) : undefined
  return historyView(x.app.settings.basePath, entry.type, row, shown, next)
}

// Next links are sealed for one caller, so the tag names the caller too: one tag, one body.
const historyTag = (x: Exchange): string =>
  `"h${rowOf(x).version}-${(x.representor as Representor).code}${createHash('sha256').update(pageScope(x) ?? '').digest('hex').slice(0, 8)}"`

const history: Handler = {
  hooks: {
    malformed: (x) => defaultAnswers.malformed(x) ?? pageProblem(x),
    resourceExists: loadRow,
    // A page's entries are fixed once written: the version, the caller and the query (the URL) name its body.
    etag: (x) => (choose(x) === false || x.row === undefined ? undefined : historyTag(x)),
  },
  validatorHeaders: (x) => ({ Vary: VARY, 'Cache-Control': 'private, no-cache', ETag: historyTag(x), 'Last-Modified': httpDate(rowOf(x).updated_at) }),
  represent: (x) => {
    const view = historyPageView(x)
    return { status: 200, type: (x.representor as Representor).mediaType, headers: { ...history.validatorHeaders(x), Link: linkHeader(view.links, []) }, body: render(x, view) }
  },
  process: noProcess,
}

const none: Handler = { ...health, hooks: { ...health.hooks, resourceExists: () => false } }

/** Every kind of route, by its kind. */
export const handlers: Readonly<Record<RouteKind, Handler>> = { none, entry: entryPoint, health, ready, machine, schema, 'problem-type': problemType, collection, item, history, action, session }

export const handlerOf = (x: Exchange): Handler => handlers[x.route.kind]
