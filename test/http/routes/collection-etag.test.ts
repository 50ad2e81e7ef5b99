import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { rawRequest } from '../../helpers/raw.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// List polling: a collection page has a strong ETag that changes exactly when the page does.
const test = suite('collection ETag')
let server: TestServer
const as = 'north-reader'
const create = async (title: string): Promise<string> =>
  (await server.request('POST', '/bookmarks', { as, json: { bookmark_url: 'https://example.org/c', title } })).headers.get('location') as string
const etagOf = async (path: string, user = as): Promise<string> => {
  const r = await server.request('GET', path, { as: user })
  assert.is(r.status, 200)
  return r.headers.get('etag') as string
}
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

test('a page has a strong ETag; If-None-Match gets 304 with the 200 headers and no body', async () => {
  await create('first')
  const ok = await rawRequest(server.url, 'GET', '/bookmarks', { headers: { authorization: `Bearer ${server.tokens[as] ?? ''}` } })
  const etag = ok.headers.get('etag') ?? ''
  assert.match(etag, /^"[^"]+"$/)
  for (const method of ['GET', 'HEAD']) {
    const r = await rawRequest(server.url, method, '/bookmarks', { headers: { authorization: `Bearer ${server.tokens[as] ?? ''}`, 'if-none-match': etag } })
    assert.is(r.status, 304)
    assert.is(r.bytes.length, 0)
    for (const h of ['etag', 'vary', 'cache-control']) assert.is(r.headers.get(h), ok.headers.get(h), h)
  }
})

test('the ETag changes after a create', async () => {
  const before = await etagOf('/bookmarks')
  await create('second')
  const after = await etagOf('/bookmarks')
  assert.is.not(after, before)
  assert.is((await server.request('GET', '/bookmarks', { as, headers: { 'if-none-match': before } })).status, 200)
  assert.is((await server.request('GET', '/bookmarks', { as, headers: { 'if-none-match': after } })).status, 304)
})

test('the ETag changes after a transition of an item on the page', async () => {
  const url = await create('third')
  const before = await etagOf('/bookmarks')
  assert.is((await server.request('POST', `${url}/archive`, { as })).status, 200)
  assert.is.not(await etagOf('/bookmarks'), before)
})

test('a page does not change when an item on another page does', async () => {
  const first = await etagOf('/bookmarks?limit=1')
  const last = await create('last')
  assert.is(await etagOf('/bookmarks?limit=1'), first)
  await server.request('POST', `${last}/read`, { as })
  assert.is(await etagOf('/bookmarks?limit=1'), first)
})

test('callers who see different items get different ETags', async () => {
  assert.is.not(await etagOf('/bookmarks', 'north-admin'), await etagOf('/bookmarks', 'south-admin'))
  const r = await server.request('GET', '/bookmarks', { as })
  assert.match(r.headers.get('vary') ?? '', /Authorization/)
})

test('If-Match on a list: its own ETag holds, another fails (412)', async () => {
  const etag = await etagOf('/bookmarks')
  assert.is((await server.request('GET', '/bookmarks', { as, headers: { 'if-match': etag } })).status, 200)
  assert.is((await server.request('GET', '/bookmarks', { as, headers: { 'if-match': '"stale"' } })).status, 412)
})

test('a create can be conditional on the list: If-Match its ETag, else 412; If-None-Match its ETag is 412', async () => {
  const etag = await etagOf('/bookmarks')
  const body = { bookmark_url: 'https://example.org/if', title: 'if' }
  assert.is((await server.request('POST', '/bookmarks', { as, json: body, headers: { 'if-match': '"stale"' } })).status, 412)
  assert.is((await server.request('POST', '/bookmarks', { as, json: body, headers: { 'if-none-match': etag } })).status, 412)
  assert.is((await server.request('POST', '/bookmarks', { as, json: body, headers: { 'if-match': etag } })).status, 201)
  assert.is((await server.request('POST', '/bookmarks', { as, json: body, headers: { 'if-match': etag } })).status, 412, 'the list has changed')
  assert.is((await server.request('POST', '/bookmarks', { as, json: body, headers: { 'if-none-match': etag } })).status, 201)
})

test.run()
