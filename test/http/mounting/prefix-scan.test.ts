import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Format } from '../../../src/index.ts'
import { addDemoData, bookmark, visit } from '../../../src/resources/index.ts'
import { crawl } from '../../helpers/crawler.ts'
import { examplesOf } from '../../helpers/crawler-inputs.ts'
import { startMounted, type MountedServer } from '../../helpers/mounted.ts'

// Every URL the mounted app sends, in any body or header, is under /api: a crawl in every format
// (creates, transitions, refusals), pages with cursors, problems, the sign-in flow, schemas and machines.
const formats: readonly Format[] = ['application/json', 'application/hal+json', 'application/vnd.siren+json', 'text/html']
const URL_KEYS = /^(?:href|target|url|instance|next|resource|diagram|[a-z0-9_]+_url)$/
const HTML_URLS = /\s(?:href|action|src|formaction)="([^"]*)"/g

interface Seen { readonly where: string; readonly url: string }

/** Every URL a JSON document holds under a key that names one, and its problem type. */
function jsonUrls(value: unknown, out: string[], key = ''): void {
  if (typeof value === 'string') {
    if (URL_KEYS.test(key) || (key === 'type' && /^(\/|https?:)/.test(value))) out.push(value)
    return
  }
  if (typeof value !== 'object' || value === null) return
  for (const [k, v] of Object.entries(value)) jsonUrls(v, out, Array.isArray(value) ? key : k)
}

function urlsOf(res: Response, text: string): string[] {
  const out: string[] = []
  for (const name of ['location', 'content-location']) {
    const v = res.headers.get(name)
    if (v !== null) out.push(v)
  }
  for (const m of (res.headers.get('link') ?? '').matchAll(/<([^>]*)>/g)) out.push(m[1] ?? '')
  const type = res.headers.get('content-type') ?? ''
  if (type.includes('json') && text !== '') jsonUrls(JSON.parse(text), out)
  if (type.startsWith('text/html')) for (const m of text.matchAll(HTML_URLS)) out.push((m[1] ?? '').replaceAll('&amp;', '&'))
  return out
}

const test = suite('every URL of an app mounted at /api carries /api')
let server: MountedServer
const seen: Seen[] = []
const cookies: string[] = []
const realFetch = globalThis.fetch

test.before(async () => {
  server = await startMounted('koa')
  await addDemoData(server.app.store)
  globalThis.fetch = async (input, init) => {
    const res = await realFetch(input, init)
    const text = await res.clone().text()
    const where = `${init?.method ?? 'GET'} ${String(input)} → ${res.status}`
    for (const url of urlsOf(res, text)) seen.push({ where, url })
    cookies.push(...res.headers.getSetCookie())
    return res
  }
})
test.after(async () => {
  globalThis.fetch = realFetch
  await server.close()
})

const get = (path: string, accept: string, user?: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${server.origin}${path}`, { headers: { accept, ...(user !== undefined && { authorization: `Bearer ${server.tokens[user] ?? ''}` }), ...headers } })

test('crawls, pages, problems, sign-in, schemas and machines send only URLs under /api', async () => {
  const examples = examplesOf([visit, bookmark])
  for (const accept of formats) {
    await crawl({ entry: `${server.origin}/api/`, accept, tokens: server.tokens, exampleFor: examples, targets: [
      { collection: 'bookmarks', machine: 'bookmark-machine', users: ['north-reader'], createInput: String(bookmark.createSchema.$id) },
      { collection: 'visits', machine: 'visit-machine', users: ['north-dispatcher', 'north-clinician-1'], createInput: String(visit.createSchema.$id) },
    ] })
    // Pages with cursors, and the next page itself.
    for (const path of ['/api/bookmarks?limit=1', '/api/visits?limit=1']) {
      const user = path.includes('bookmarks') ? 'north-reader' : 'north-dispatcher'
      await (await get(path, accept, user)).arrayBuffer()
    }
    // Problems: unknown, unauthenticated, unacceptable, malformed, not ours to show.
    for (const path of ['/api/nothing', '/api/bookmarks/00000000-0000-4000-8000-000000000000', '/api/bookmarks?limit=0']) await (await get(path, accept, 'north-reader')).arrayBuffer()
    await (await get('/api/bookmarks', accept)).arrayBuffer()
    await (await get('/api/visits', accept, 'north-reader')).arrayBuffer()
  }
  const first = (await (await get('/api/bookmarks?limit=1', 'application/json', 'north-reader')).json()) as { next_url?: string }
  assert.ok(first.next_url?.startsWith('/api/bookmarks?after='), `next_url ${first.next_url ?? 'missing'}`)
  await (await get(first.next_url ?? '', 'application/json', 'north-reader')).arrayBuffer()
  const item = (await (await get('/api/bookmarks?limit=1', 'application/json', 'north-reader')).json()) as { items?: { url: string }[] }
  const history = `${item.items?.[0]?.url ?? ''}/history?limit=1`
  await (await get(history, 'application/json', 'north-reader')).arrayBuffer()
  await (await get(history, 'text/html', 'north-reader')).arrayBuffer()
  // Machines in every format, schemas and problem types.
  for (const accept of ['application/json', 'text/vnd.graphviz', 'text/vnd.mermaid', 'image/svg+xml']) await (await get('/api/machines/bookmark?state=read', accept)).arrayBuffer()
  await (await get('/api/schemas/bookmark.json', 'application/json')).arrayBuffer()
  await (await get('/api/problems/not-found', 'application/json')).arrayBuffer()
  await (await get('/api/problems/nothing', 'text/html')).arrayBuffer()
  // The sign-in flow: the page, a demo sign-in (303 + cookie), the signed-in page, and signing out.
  await (await get('/api/session', 'text/html')).arrayBuffer()
  const form = { 'content-type': 'application/x-www-form-urlencoded', origin: server.origin, accept: 'text/html' }
  const signIn = await fetch(`${server.origin}/api/session`, { method: 'POST', redirect: 'manual', headers: form, body: 'user=north-reader' })
  assert.is(signIn.status, 303)
  const cookie = (signIn.headers.getSetCookie()[0] ?? '').split(';')[0] ?? ''
  await (await get('/api/session', 'text/html', undefined, { cookie })).arrayBuffer()
  await (await get('/api/', 'text/html', undefined, { cookie })).arrayBuffer()
  const created = await fetch(`${server.origin}/api/bookmarks`, { method: 'POST', redirect: 'manual', headers: { ...form, cookie }, body: 'bookmark_url=https%3A%2F%2Fexample.org%2F&title=x' })
  assert.is(created.status, 303)
  const signOut = await fetch(`${server.origin}/api/session/delete`, { method: 'POST', redirect: 'manual', headers: { ...form, cookie } })
  assert.is(signOut.status, 303)

  const outside = seen.filter(({ url }) => {
    const u = new URL(url, `${server.origin}/`)
    return u.origin === server.origin && u.pathname !== '/api' && !u.pathname.startsWith('/api/')
  })
  assert.equal(outside.slice(0, 5), [], `${outside.length} URLs outside /api`)
  assert.ok(seen.length > 1000, `${seen.length} URLs seen`)
  for (const kind of ['/api/problems/', '/api/schemas/', '/api/machines/', '/api/session', '?after=']) assert.ok(seen.some(({ url }) => url.includes(kind)), `no URL with ${kind} seen`)
  assert.ok(seen.some(({ url }) => url.startsWith(`${server.origin}/api/`)), 'no absolute URL (Siren) seen')
  assert.ok(cookies.length >= 2, 'a sign-in and a sign-out cookie')
  for (const c of cookies) assert.match(c, /; Path=\/api(;|$)/, c)
})

test.run()
