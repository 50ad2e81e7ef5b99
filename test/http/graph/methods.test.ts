import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { rawRequest } from '../../helpers/raw.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// HEAD on every GET route (same headers, no body) and OPTIONS on every route (204 + Allow).
const test = suite('HEAD and OPTIONS')
let server: TestServer
let item = ''
test.before(async () => {
  server = await startServer()
  const r = await server.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/h', title: 'H' } })
  item = r.headers.get('location') as string
})
test.after(async () => { await server.close() })

const auth = (): Record<string, string> => ({ authorization: `Bearer ${server.tokens['north-reader'] ?? ''}` })
const READ = 'GET, HEAD, OPTIONS'
const routes: readonly { name: string; path: () => string; allow: string }[] = [
  { name: 'entry point', path: () => '/', allow: READ },
  { name: 'health', path: () => '/health', allow: READ },
  { name: 'machine', path: () => '/machines/bookmark', allow: READ },
  { name: 'schema', path: () => '/schemas/bookmark.json', allow: READ },
  { name: 'problem type', path: () => '/problems/not-found', allow: READ },
  { name: 'collection', path: () => '/bookmarks', allow: 'GET, HEAD, POST, OPTIONS' },
  { name: 'item', path: () => item, allow: READ },
  { name: 'history', path: () => `${item}/history`, allow: READ },
  { name: 'action', path: () => `${item}/read`, allow: 'POST, OPTIONS' },
]
// Headers that may differ between two requests made a moment apart.
const volatile = new Set(['date', 'connection', 'keep-alive', 'x-request-id'])
const comparable = (h: Headers): Record<string, string> => Object.fromEntries([...h].filter(([k]) => !volatile.has(k)))

for (const route of routes) {
  test(`OPTIONS ${route.name} → 204, Allow: ${route.allow}`, async () => {
    const r = await rawRequest(server.url, 'OPTIONS', route.path(), { headers: auth() })
    assert.is(r.status, 204)
    assert.is(r.headers.get('allow'), route.allow)
    assert.is(r.bytes.length, 0)
    assert.is(r.headers.get('accept-post') !== null, route.allow.includes('POST'), 'Accept-Post where POST is allowed')
  })
  if (!route.allow.includes('GET')) continue
  test(`HEAD ${route.name}: the GET headers, no body`, async () => {
    const get = await rawRequest(server.url, 'GET', route.path(), { headers: auth() })
    const head = await rawRequest(server.url, 'HEAD', route.path(), { headers: auth() })
    assert.is(get.status, 200)
    assert.is(head.status, 200)
    assert.ok(get.bytes.length > 0)
    assert.is(head.bytes.length, 0)
    assert.equal(comparable(head.headers), comparable(get.headers))
    assert.is(head.headers.get('content-length'), String(get.bytes.length))
  })
}

test('HEAD of an error: the problem headers, no body', async () => {
  const r = await rawRequest(server.url, 'HEAD', '/bookmarks/00000000-0000-0000-0000-000000000000', { headers: auth() })
  assert.is(r.status, 404)
  assert.is(r.bytes.length, 0)
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/)
})

test('OPTIONS on no route is 404', async () => {
  const r = await rawRequest(server.url, 'OPTIONS', '/nowhere')
  assert.is(r.status, 404)
})

test('a 304 is headers only, on the wire', async () => {
  const get = await rawRequest(server.url, 'GET', item, { headers: auth() })
  const r = await rawRequest(server.url, 'GET', item, { headers: { ...auth(), 'if-none-match': get.headers.get('etag') ?? '' } })
  assert.is(r.status, 304)
  assert.is(r.bytes.length, 0)
})

test.run()
