import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bookmark } from '../../../src/resources/index.ts'
import { resourceIn } from '../../helpers/machines.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// The shortcuts taken for speed must not change what a client sees.
const test = suite('fast paths')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const reader = 'north-reader'

test('a 304 repeats ETag, Vary and Cache-Control, and no body, Link or Last-Modified (RFC 9110 §15.4.5)', async () => {
  const { url } = await resourceIn(server, bookmark, 'queued', reader)
  const full = await server.request('GET', url, { as: reader })
  const etag = full.headers.get('etag') as string
  assert.ok(full.headers.get('link')?.includes('rel="read"'))
  const r = await server.request('GET', url, { as: reader, headers: { 'if-none-match': etag } })
  assert.is(r.status, 304)
  assert.is(r.headers.get('etag'), etag)
  assert.is(r.headers.get('vary'), full.headers.get('vary'))
  assert.is(r.headers.get('cache-control'), full.headers.get('cache-control'))
  assert.is(r.headers.get('link'), null)
  assert.is(r.headers.get('last-modified'), null)
  assert.ok(full.headers.get('last-modified'))
  assert.is(r.text, '')
})

test('a 304 stops matching once the resource moves on', async () => {
  const { url, etag } = await resourceIn(server, bookmark, 'queued', reader)
  const moved = await server.request('POST', `${url}/read`, { as: reader, headers: { 'if-match': etag } })
  assert.is(moved.status, 200)
  const r = await server.request('GET', url, { as: reader, headers: { 'if-none-match': etag } })
  assert.is(r.status, 200)
  assert.is(r.json.data.read_status, 'read')
})

test('remembered negotiation answers each Accept field on its own', async () => {
  const { url } = await resourceIn(server, bookmark, 'queued', reader)
  for (const round of [1, 2]) {
    assert.is((await server.request('GET', url, { as: reader, headers: { accept: 'text/plain' } })).status, 406, `round ${round}`)
    assert.is((await server.request('GET', url, { as: reader, headers: { accept: 'application/json' } })).status, 200, `round ${round}`)
    assert.is((await server.request('GET', url, { as: reader, headers: { accept: 'text/plain, application/*;q=0.5' } })).status, 200, `round ${round}`)
  }
})

test.run()
