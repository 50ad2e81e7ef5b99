import { escapeHtml } from './html-escape.ts'
import { page, showValue } from './html-layout.ts'

const CORE = new Set(['type', 'title', 'status', 'detail', 'instance'])

// Where a person should go next: the resource an action was posted to, the sign-in form, or home.
function ways(doc: Readonly<Record<string, unknown>>, base: string): string {
  const path = typeof doc.instance === 'string' ? doc.instance.replace(/[?#].*$/, '') : '/'
  // Only a request under the app's path names one of its resources.
  const instance = path.startsWith(`${base}/`) ? path.slice(base.length) : '/'
  const at = escapeHtml(base)
  const links: string[] = []
  const segments = instance.split('/').filter((s) => s !== '')
  if (segments.length === 3) links.push(`<a href="${at}/${segments.slice(0, 2).map(encodeURIComponent).join('/')}" rel="up">Back to the resource</a>`)
  if (segments.length === 1 || segments.length === 2) links.push(`<a href="${at}/${encodeURIComponent(segments[0] ?? '')}">Back to ${escapeHtml(segments[0] ?? '')}</a>`)
  if (doc.status === 401 || doc.status === 403) links.push(`<a href="${at}/session">Sign in</a>`)
  links.push(`<a href="${at}/">Home</a>`)
  return `<ul>${links.map((l) => `<li>${l}</li>`).join('')}</ul>`
}

function extra(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none'
    return `<ul>${value.map((v) => `<li>${typeof v === 'object' && v !== null ? `<code>${showValue(v)}</code>` : showValue(v)}</li>`).join('')}</ul>`
  }
  return showValue(value)
}

/** An RFC 9457 problem document as a page for people: the same members, and where to go from here (under `base`, where the app is mounted). */
export function renderProblemPage(doc: Readonly<Record<string, unknown>>, base = ''): string {
  const status = typeof doc.status === 'number' ? doc.status : 500
  const title = typeof doc.title === 'string' ? doc.title : 'Error'
  const members = Object.entries(doc).filter(([k]) => !CORE.has(k))
  const facts = members.length === 0 ? '' : `<dl>${members.map(([k, v]) => `<dt>${escapeHtml(k.replaceAll('_', ' '))}</dt><dd data-member="${escapeHtml(k)}">${extra(v)}</dd>`).join('')}</dl>`
  const type = typeof doc.type === 'string' ? `<p>Problem type: <a href="${escapeHtml(doc.type)}">${escapeHtml(doc.type)}</a></p>` : ''
  return page(base, `${status} ${title}`, `<div class="problem" role="alert"><p>${showValue(doc.detail ?? '')}</p></div>
${facts}
${type}
<p>Request: <code>${showValue(doc.instance ?? '')}</code></p>
<h2>Where next</h2>${ways(doc, base)}`)
}
