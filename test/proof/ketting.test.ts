import { bearerAuth, Ketting, Problem } from 'ketting'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../helpers/server.ts'

// A hypermedia client from npm, with no code of this project on its side: it sees only
// what the server sends (Link headers, HAL-FORMS templates, Siren actions).
const server: TestServer = await startServer()
const token = server.tokens['north-reader'] ?? ''
const newBookmark = { bookmark_url: 'https://example.org/articles/ketting', title: 'Read by Ketting' }

/** A Ketting client that asks for one media type only. */
function ketting(accept: string): Ketting {
  const k = new Ketting(`${server.url}/`)
  k.use(bearerAuth(token))
  k.use((request, next) => {
    request.headers.set('Accept', accept)
    return next(request)
  })
  return k
}

// Formats whose actions Ketting must submit (failing when not served); the others are tried when the server offers them.
const formats = ['application/hal+json', 'application/vnd.siren+json']
const mandatory: readonly string[] = formats
const served: string[] = []
for (const f of formats) {
  const r = await server.request('GET', '/', { as: 'north-reader', headers: { accept: f } })
  if ((r.headers.get('content-type') ?? '').startsWith(f)) served.push(f)
}
console.log(`\n  ketting actions through: ${served.length === 0 ? 'none served yet' : served.join(', ')}${served.length < formats.length ? ` (not served: ${formats.filter((f) => !served.includes(f)).join(', ')})` : ''}`)

const test = suite('ketting')
test.after(async () => { await server.close() })

test('Link headers: from the entry point to the bookmarks, create one (201 Location), then act through its link', async () => {
  const k = ketting('application/json')
  const entry = await k.go().get()
  assert.ok(entry.links.has('bookmarks'), 'the entry point links to bookmarks')
  const bookmarks = k.follow('bookmarks')
  const list = await (await bookmarks).get()
  assert.ok(list.links.has('create'), 'the collection offers create')
  const item = await (await bookmarks).postFollow({ data: newBookmark })
  const state = await item.get()
  assert.is((state.data as { data: Record<string, unknown> }).data.read_status, 'queued')
  assert.equal(['archive', 'read'].filter((rel) => state.links.has(rel)), ['archive', 'read'])
  assert.not.ok(state.links.has('reread'), 'reread is not offered from queued')
  const read = await item.follow('read')
  const after = await read.post({ data: {}, headers: { 'If-Match': state.headers.get('etag') ?? '' } })
  assert.is((after.data as { data: Record<string, unknown> }).data.read_status, 'read')
})

test('an action not offered is refused with a problem Ketting understands', async () => {
  const k = ketting('application/json')
  const item = await (await k.follow('bookmarks')).postFollow({ data: newBookmark })
  const state = await item.get()
  // The link is built from the resource URL only to show the refusal; it is not offered.
  const reread = k.go(`${item.uri}/reread`)
  const err = await reread.post({ data: {}, headers: { 'If-Match': state.headers.get('etag') ?? '' } }).catch((e: unknown) => e)
  assert.instance(err, Problem)
  assert.is((err as Problem).status, 409)
  assert.is((err as Problem).body.current_state, 'queued')
})

for (const format of formats.filter((f) => served.includes(f) || mandatory.includes(f))) {
  test(`${format}: navigate by links and submit an action`, async () => {
    const k = ketting(format)
    const item = await (await k.follow('bookmarks')).postFollow({ data: newBookmark })
    const state = await item.get()
    assert.ok(state.hasAction('read'), `read is offered in ${format}`)
    assert.not.ok(state.hasAction('reread'))
    const after = await state.action('read').submit({})
    const fresh = await item.refresh()
    assert.ok(fresh.hasAction('reread'), `after read, reread is offered (${after.uri})`)
    assert.not.ok(fresh.hasAction('read'))
  })
}

test.run()
