import { actionForm } from './html-forms.ts'
import { searchForm } from './html-search.ts'
import { escapeHtml } from './html-escape.ts'
import { page, showValue } from './html-layout.ts'
import { assertNever, type CollectionView, type EntryView, type HistoryEntry, type HistoryView, type NavLink, type RenderContext, type Representor, type ResourceView, type View } from './types.ts'

const link = (href: string, text: string, rel?: string): string =>
  `<a href="${escapeHtml(href)}"${rel === undefined ? '' : ` rel="${escapeHtml(rel)}"`}>${escapeHtml(text)}</a>`

// Relation names are for programs; people read these instead.
const relLabels: Readonly<Record<string, string>> = { up: 'Up', describedby: 'JSON Schema of the data', next: 'Next page', history: 'History' }

const navList = (links: readonly NavLink[]): string =>
  `<nav aria-label="Links"><ul>${links.filter((l) => l.rel !== 'self').map((l) => `<li>${link(l.href, relLabels[l.rel] ?? l.title ?? l.rel, l.rel)}</li>`).join('')}</ul></nav>`

function historyTable(entries: readonly HistoryEntry[]): string {
  if (entries.length === 0) return '<p>No history yet.</p>'
  const rows = entries.map((e) => `<tr><td>${e.seq}</td><td>${escapeHtml(e.action)}</td><td>${escapeHtml(e.from ?? '—')}</td><td>${escapeHtml(e.to)}</td><td><code>${showValue(e.input ?? {})}</code></td><td>${escapeHtml(e.actor ?? '—')}</td><td><time datetime="${escapeHtml(e.at)}">${escapeHtml(e.at)}</time></td></tr>`)
  return `<table><caption class="sr">Transitions, oldest first</caption><thead><tr><th scope="col">#</th><th scope="col">Action</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Input</th><th scope="col">By</th><th scope="col">At</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

// The version counts the log's entries (one per write), so the page can say how many it leaves out.
function earlier(view: ResourceView): string {
  const shown = view.history?.length ?? 0
  const all = view.links.find((l) => l.rel === 'history')
  if (shown >= view.version || all === undefined) return ''
  return `<p>The latest ${shown} of ${view.version} transitions; ${link(all.href, 'all transitions, oldest first', 'history')}.</p>`
}

function resourcePage(view: ResourceView, base: string): string {
  const fields = Object.entries(view.data).filter(([k]) => k !== view.stateField)
  const data = `<dl><dt>${escapeHtml(view.stateField)}</dt><dd><span class="state" id="state">${escapeHtml(view.state)}</span></dd>${fields.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${showValue(v)}</dd>`).join('')}</dl>`
  // A form cannot send If-Match; the ETag of this page goes back in a hidden field instead.
  const hidden = { _if_match: view.etag ?? `"${view.version}"` }
  const forms = view.actions.length === 0
    ? '<p>No action is open to you in this state.</p>'
    : `<div class="forms">${view.actions.map((a) => actionForm(a, hidden)).join('\n')}</div>`
  const diagram = view.diagram === undefined
    ? ''
    : `<h2>Where it stands</h2><img class="diagram" src="${escapeHtml(view.diagram)}" alt="${escapeHtml(`State machine of ${view.type}, with the current state ${view.state} highlighted`)}">`
  const history = view.history === undefined ? '' : `<h2>History</h2>${historyTable(view.history)}${earlier(view)}`
  return page(base, view.title, `<p>A ${escapeHtml(view.type)}, now <strong>${escapeHtml(view.state)}</strong> (version ${view.version}).</p>
<h2>Data</h2>${data}
<h2>Actions</h2>${forms}
${diagram}
${history}
<h2>Links</h2>${navList(view.links)}`)
}

function collectionPage(view: CollectionView, base: string): string {
  const rows = view.items.map((i) => `<tr><td>${link(i.url, i.title, 'item')}</td><td>${escapeHtml(i.state)}</td></tr>`)
  const table = view.items.length === 0
    ? '<p>Nothing here yet.</p>'
    : `<table><thead><tr><th scope="col">${escapeHtml(view.type)}</th><th scope="col">State</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  const more = view.next === undefined ? '' : `<p>${link(view.next, 'Next page', 'next')}</p>`
  const create = view.create === undefined ? '' : `<h2>New ${escapeHtml(view.type)}</h2><div class="forms">${actionForm(view.create, {})}</div>`
  const search = view.search === undefined ? '' : `<h2>Filter</h2>${searchForm(view.search)}`
  return page(base, view.title, `${search}\n${table}\n${more}\n${create}\n<h2>Links</h2>${navList(view.links)}`)
}

function historyPage(view: HistoryView, base: string): string {
  const more = view.next === undefined ? '' : `<p>${link(view.next, 'Next page', 'next')}</p>`
  return page(base, view.title, `${historyTable(view.entries)}\n${more}\n<p>${link(view.resource, 'Back to the resource', 'up')}</p>`)
}

function entryPage(view: EntryView, base: string): string {
  const machines = view.links.filter((l) => l.href.startsWith(`${base}/machines/`))
  // The layout's header already links to the sign-in page.
  const collections = view.links.filter((l) => !l.href.startsWith(`${base}/machines/`) && l.rel !== 'session')
  const list = (links: readonly NavLink[]): string => `<ul>${links.map((l) => `<li>${link(l.href, l.title ?? l.rel, l.rel)}</li>`).join('')}</ul>`
  return page(base, view.title, `<p>Resources that move through state machines. Every link and form here is one you may use now.</p>
${collections.length === 0 ? '<p>No collection is open to you; sign in as someone who may list one.</p>' : `<h2>Collections</h2>${list(collections)}`}
<h2>Machines</h2>${list(machines)}
${machines.map((l) => `<figure><img class="diagram" src="${escapeHtml(l.href)}" alt="${escapeHtml(`Diagram of the ${l.title ?? l.rel}`)}"><figcaption>${escapeHtml(l.title ?? l.rel)}</figcaption></figure>`).join('\n')}`)
}

/** The HTML explorer: one page per view, with a form for every legal action. */
export const html: Representor = {
  mediaType: 'text/html',
  code: 'w',
  embedsHistory: true,
  render(view: View, context?: RenderContext): string {
    const base = context?.base ?? ''
    switch (view.kind) {
      case 'resource': return resourcePage(view, base)
      case 'collection': return collectionPage(view, base)
      case 'history': return historyPage(view, base)
      case 'entry': return entryPage(view, base)
      default: return assertNever(view)
    }
  },
}
