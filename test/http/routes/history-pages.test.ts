import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../../helpers/server.ts'
import type { ResourceRow } from '../../../src/index.ts'

// A bookmark can cycle read/reread forever: its log is paged like a collection, and the HTML page shows only the latest.
const test = suite('history pages')
let server: TestServer
const as = 'north-reader'
const create = async (): Promise<string> =>
  (await server.request('POST', '/bookmarks', { as, json: { bookmark_url: 'https://example.org/h', title: 'H' } })).headers.get('location') as string
/** Writes `cycles` read/reread pairs straight to the store: the log grows by two per cycle. */
const cycle = async (url: string, cycles: number): Promise<void> => {
  const id = url.split('/').pop() as string
  for (let i = 0; i < cycles * 2; i++) {
    await server.app.store.transition({
      id,
      decide: (row: ResourceRow) => {
        const [action, to] = row.state === 'queued' ? ['read', 'read'] : ['reread', 'queued']
        return { ok: true, change: { action: action as string, to: to as string, data: row.data, input: {}, actor: as, at: Date.now() } }
      },
      answer: () => ({ value: undefined }),
    })
  }
}
const walk = async (first: string, accept = 'application/json'): Promise<number[]> => {
  const seqs: number[] = []
  let next: string | undefined = first
  while (next !== undefined) {
    const page: { status: number; json: { items: { seq: number }[]; next_url?: string } } = await server.request('GET', next, { as, headers: { accept } })
    assert.is(page.status, 200)
    seqs.push(...page.json.items.map((i) => i.seq))
    next = page.json.next_url
  }
  return seqs
}
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

test('a history page holds 20 entries by default, oldest first, with a next link', async () => {
  const url = await create()
  await cycle(url, 15)
  const r = await server.request('GET', `${url}/history`, { as })
  assert.is(r.json.items.length, 20)
  assert.equal(r.json.items.map((i: { seq: number }) => i.seq), Array.from({ length: 20 }, (_, i) => i + 1))
  assert.match(r.json.next_url, new RegExp(`^${url}/history\\?after=[A-Za-z0-9_-]{48}$`))
  assert.match(r.headers.get('link') ?? '', /rel="next"/)
})

test('next links walk the whole log once, in order, and the last page has none', async () => {
  const url = await create()
  await cycle(url, 30)
  const seqs = await walk(`${url}/history?limit=7`)
  assert.equal(seqs, Array.from({ length: 61 }, (_, i) => i + 1))
  const last = await server.request('GET', `${url}/history?limit=100`, { as })
  assert.is(last.json.items.length, 61)
  assert.is(last.json.next_url, undefined)
})

test('every format carries the next link', async () => {
  const url = await create()
  await cycle(url, 2)
  const path = `${url}/history?limit=2`
  const hal = await server.request('GET', path, { as, headers: { accept: 'application/hal+json' } })
  assert.match(hal.json._links.next.href, `${url}/history?after=`)
  const siren = await server.request('GET', path, { as, headers: { accept: 'application/vnd.siren+json' } })
  const next = siren.json.links.find((l: { rel: string[] }) => l.rel.includes('next'))
  assert.match(next.href, `${url}/history?after=`)
  const html = await server.request('GET', path, { as, headers: { accept: 'text/html' } })
  assert.match(html.text, new RegExp(`<a href="${url}/history\\?after=[A-Za-z0-9_-]{48}&amp;limit=2" rel="next">`))
})

test("one resource's cursor does not page another's history", async () => {
  const a = await create()
  const b = await create()
  await cycle(a, 2)
  await cycle(b, 2)
  const next = (await server.request('GET', `${a}/history?limit=1`, { as })).json.next_url as string
  const cursor = new URL(next, 'http://x').searchParams.get('after') as string
  assert.is((await server.request('GET', `${b}/history?limit=1&after=${cursor}`, { as })).status, 400)
  assert.is((await server.request('GET', next, { as: 'north-admin' })).status, 400)
})

test('the HTML page of a resource shows its latest 10 transitions and links to the rest', async () => {
  const url = await create()
  await cycle(url, 1000)
  const r = await server.request('GET', url, { as, headers: { accept: 'text/html' } })
  assert.is(r.status, 200)
  const rows = [...r.text.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]))
  assert.equal(rows, Array.from({ length: 10 }, (_, i) => 1992 + i))
  assert.match(r.text, `href="${url}/history"`)
  assert.match(r.text, 'latest 10 of 2001')
  assert.ok(r.text.length < 20_000, `${r.text.length} bytes`)
})

test.run()
