import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { nodes } from '../../../src/http/graph/flow.ts'
import { rawRequest } from '../../helpers/raw.ts'
import { startServer, type RequestOptions, type TestServer } from '../../helpers/server.ts'

// One row per decision and outcome: request → status, key headers, and the path through the graph.
const test = suite('decision graph')

interface Fixtures { bookmark: string; bookmarkEtag: string; read: string; visit: string; visitEtag: string; fresh: () => Promise<{ url: string; etag: string }> }
type Server = 'main' | 'small' | 'maintenance' | 'env'
interface Row {
  readonly name: string
  readonly on?: Server
  readonly method: string
  readonly path: string | ((f: Fixtures) => string)
  readonly o?: RequestOptions | ((f: Fixtures) => RequestOptions)
  readonly status: number
  readonly headers?: Readonly<Record<string, string | RegExp>>
  readonly trace: string
}

const servers = {} as Record<Server, TestServer>
const f = {} as Fixtures
test.before(async () => {
  servers.main = await startServer({ trace: true })
  servers.small = await startServer({ trace: true, maxUriLength: 100, maxBodyBytes: 1000 })
  servers.maintenance = await startServer({ trace: true, maintenance: true })
  process.env.MAINTENANCE = '1'
  process.env.AFFORDANCE_TRACE = '1'
  try { servers.env = await startServer() } finally { delete process.env.MAINTENANCE; delete process.env.AFFORDANCE_TRACE }
  const s = servers.main
  f.fresh = async () => {
    const r = await s.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/d', title: 'D' } })
    return { url: r.headers.get('location') as string, etag: r.headers.get('etag') as string }
  }
  const b = await f.fresh()
  f.bookmark = b.url
  f.bookmarkEtag = b.etag
  const read = await f.fresh()
  f.read = read.url
  await s.request('POST', `${read.url}/read`, { as: 'north-reader' })
  const v = await s.request('POST', '/visits', { as: 'north-dispatcher', json: { patient: 'P', address: 'A', scheduled_for: '2026-12-01T09:00:00Z' } })
  f.visit = v.headers.get('location') as string
  f.visitEtag = v.headers.get('etag') as string
})
test.after(async () => { for (const s of Object.values(servers)) await s.close() })

const reader: RequestOptions = { as: 'north-reader' }
const json = (body: string | Uint8Array, type = 'application/json'): RequestOptions => ({ ...reader, body, headers: { 'content-type': type } })
const pre = 'b8a,b14,a1,b13,b12,b11,b10,b3,b8,b9,b7,b4,b5'
const found = `${pre},g7,g5,g6,c4,g8,h10,i12,l13,p3,p4`
const READ = 'GET, HEAD, OPTIONS'

const rows: readonly Row[] = [
  { name: '404 no route', method: 'GET', path: '/nothing/here', o: reader, status: 404, trace: 'b8a,b14,a1' },
  { name: '404 unknown action', method: 'POST', path: (x) => `${x.bookmark}/explode`, o: reader, status: 404, trace: 'b8a,b14,a1' },
  { name: '405 GET on an action', method: 'GET', path: (x) => `${x.bookmark}/read`, o: reader, status: 405, headers: { allow: 'POST, OPTIONS' }, trace: 'b8a,b14,a1,b13,b12,b11,b10' },
  { name: '405 DELETE on an action', method: 'DELETE', path: (x) => `${x.bookmark}/read`, o: reader, status: 405, headers: { allow: 'POST, OPTIONS' }, trace: 'b8a,b14,a1,b13,b12,b11,b10' },
  { name: '405 PUT on an item', method: 'PUT', path: (x) => x.bookmark, o: json('{}'), status: 405, headers: { allow: READ }, trace: 'b8a,b14,a1,b13,b12,b11,b10' },
  { name: '405 PATCH on history', method: 'PATCH', path: (x) => `${x.bookmark}/history`, o: reader, status: 405, headers: { allow: READ }, trace: 'b8a,b14,a1,b13,b12,b11,b10' },
  { name: '405 DELETE on a collection', method: 'DELETE', path: '/bookmarks', o: reader, status: 405, headers: { allow: 'GET, HEAD, POST, OPTIONS' }, trace: 'b8a,b14,a1,b13,b12,b11,b10' },
  { name: '405 POST on the entry point', method: 'POST', path: '/', status: 405, headers: { allow: READ }, trace: 'b8a,b14,a1,b13,b12,b11,b10' },
  { name: '405 POST on a machine', method: 'POST', path: '/machines/visit', status: 405, headers: { allow: READ }, trace: 'b8a,b14,a1,b13,b12,b11,b10' },
  { name: '405 PUT on a schema', method: 'PUT', path: '/schemas/bookmark.json', status: 405, headers: { allow: READ }, trace: 'b8a,b14,a1,b13,b12,b11,b10' },
  { name: '405 DELETE on /health', method: 'DELETE', path: '/health', status: 405, headers: { allow: READ }, trace: 'b8a,b14,a1,b13,b12,b11,b10' },
  { name: '503 maintenance (option)', on: 'maintenance', method: 'GET', path: '/bookmarks', o: reader, status: 503, headers: { 'retry-after': /^\d+$/ }, trace: 'b8a,b14,a1,b13' },
  { name: '503 maintenance (MAINTENANCE=1)', on: 'env', method: 'POST', path: '/bookmarks', o: json('{}'), status: 503, headers: { 'retry-after': /^\d+$/ }, trace: 'b8a,b14,a1,b13' },
  { name: '/health exempt from maintenance', on: 'maintenance', method: 'GET', path: '/health', status: 200, trace: `${pre},g7,g5,g6,c4,g8,h10,i12,l13,p3,p4,o18` },
  { name: '/health exempt (env)', on: 'env', method: 'HEAD', path: '/health', status: 200, trace: `${pre},g7,g5,g6,c4,g8,h10,i12,l13,p3,p4,o18` },
  { name: '501 PROPFIND', method: 'PROPFIND', path: '/bookmarks', o: reader, status: 501, trace: 'b8a,b14,a1,b13,b12' },
  { name: '501 LINK', method: 'LINK', path: (x) => x.bookmark, o: reader, status: 501, trace: 'b8a,b14,a1,b13,b12' },
  { name: '414 one past 8 KiB', method: 'GET', path: `/bookmarks?q=${'a'.repeat(8192 - 12)}`, o: reader, status: 414, trace: 'b8a,b14,a1,b13,b12,b11' },
  { name: '200 at exactly 8 KiB', method: 'GET', path: `/bookmarks?limit=5${'&'.repeat(8192 - 18)}`, o: reader, status: 200, trace: `${found},o18` },
  { name: '414 over a configured limit', on: 'small', method: 'GET', path: `/bookmarks?q=${'a'.repeat(100)}`, o: reader, status: 414, trace: 'b8a,b14,a1,b13,b12,b11' },
  { name: '400 bad JSON', method: 'POST', path: '/bookmarks', o: json('{"title": '), status: 400, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8,b9' },
  { name: '400 JSON deeper than 32', method: 'POST', path: '/bookmarks', o: json('['.repeat(33) + ']'.repeat(33)), status: 400, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8,b9' },
  { name: '422, not 400, at exactly 32 levels', method: 'POST', path: '/bookmarks', o: json('['.repeat(32) + ']'.repeat(32)), status: 422, trace: found },
  { name: '400 invalid UTF-8', method: 'POST', path: '/bookmarks', o: json(new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])), status: 400, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8,b9' },
  { name: '400 a form field twice', method: 'POST', path: '/bookmarks', o: json('title=a&title=b', 'application/x-www-form-urlencoded'), status: 400, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8,b9' },
  { name: '400 bad query', method: 'GET', path: '/bookmarks?limit=-1', o: reader, status: 400, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8,b9' },
  { name: '401 no token', method: 'GET', path: '/bookmarks', status: 401, headers: { 'www-authenticate': 'Bearer realm="affordance"' }, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8' },
  { name: '401 unknown token', method: 'GET', path: (x) => x.bookmark, o: { token: 'aff_nope' }, status: 401, headers: { 'www-authenticate': 'Bearer realm="affordance", error="invalid_token", error_description="The bearer token is not known."' }, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8' },
  { name: '401 wrong scheme', method: 'GET', path: '/bookmarks', o: { headers: { authorization: 'Basic YTpi' } }, status: 401, headers: { 'www-authenticate': 'Bearer realm="affordance"' }, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8' },
  { name: '403 a role that may not list', method: 'GET', path: '/visits', o: reader, status: 403, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8,b9,b7' },
  { name: '403 a role that may not create', method: 'POST', path: '/visits', o: { as: 'north-clinician-1', json: {} }, status: 403, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8,b9,b7' },
  { name: '413 over 64 KiB', method: 'POST', path: '/bookmarks', o: json('x'.repeat(64 * 1024 + 1)), status: 413, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8,b9,b7,b4' },
  { name: '64 KiB exactly is read (then 400 as bad JSON)', method: 'POST', path: '/bookmarks', o: json('x'.repeat(64 * 1024)), status: 400, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8,b9' },
  { name: '413 over a configured limit', on: 'small', method: 'POST', path: '/bookmarks', o: json(`"${'x'.repeat(1000)}"`), status: 413, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3,b8,b9,b7,b4' },
  { name: '415 text/plain', method: 'POST', path: '/bookmarks', o: json('hello', 'text/plain'), status: 415, headers: { 'accept-post': 'application/json, application/x-www-form-urlencoded', 'accept-encoding': '' }, trace: pre },
  { name: '415 content coding', method: 'POST', path: '/bookmarks', o: { ...reader, body: '{}', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }, status: 415, headers: { 'accept-encoding': 'identity' }, trace: pre },
  { name: '404 no such resource', method: 'GET', path: '/bookmarks/00000000-0000-0000-0000-000000000000', o: reader, status: 404, trace: `${pre},g7` },
  { name: '404 another tenant', method: 'GET', path: (x) => x.bookmark, o: { as: 'south-reader' }, status: 404, trace: `${pre},g7` },
  { name: '404 beats If-Match', method: 'GET', path: '/bookmarks/00000000-0000-0000-0000-000000000000', o: { ...reader, headers: { 'if-match': '"x"' } }, status: 404, trace: `${pre},g7` },
  { name: '406 nothing acceptable', method: 'GET', path: (x) => x.bookmark, o: { ...reader, headers: { accept: 'image/png' } }, status: 406, trace: `${pre},g7,g5,g6,c4` },
  { name: '406 beats If-Modified-Since', method: 'GET', path: (x) => x.bookmark, o: { ...reader, headers: { accept: 'image/png', 'if-modified-since': new Date(Date.now() + 86400e3).toUTCString() } }, status: 406, trace: `${pre},g7,g5,g6,c4` },
  { name: '428 visit transition without If-Match', method: 'POST', path: (x) => `${x.visit}/assign`, o: { as: 'north-dispatcher', json: { clinician_id: 'north-clinician-1' } }, status: 428, trace: `${pre},g7,g5,g6` },
  { name: '412 If-Match does not match', method: 'GET', path: (x) => x.bookmark, o: { ...reader, headers: { 'if-match': '"0-j0"' } }, status: 412, trace: `${pre},g7,g5,g6,c4,g8,g9,g11` },
  { name: '412 stale If-Match on a visit', method: 'POST', path: (x) => `${x.visit}/cancel`, o: (x) => ({ as: 'north-dispatcher', json: { reason: 'r' }, headers: { 'if-match': x.visitEtag.replace(/^"\d+/, '"99') } }), status: 412, trace: `${pre},g7,g5,g6,c4,g8,g9,g11` },
  { name: '412 If-Unmodified-Since in the past', method: 'GET', path: (x) => x.bookmark, o: { ...reader, headers: { 'if-unmodified-since': 'Sun, 06 Nov 1994 08:49:37 GMT' } }, status: 412, trace: `${pre},g7,g5,g6,c4,g8,h10,h11,h12` },
  { name: '412 If-None-Match * on a transition', method: 'POST', path: (x) => `${x.bookmark}/read`, o: { ...reader, headers: { 'if-none-match': '*' } }, status: 412, trace: `${pre},g7,g5,g6,c4,g8,h10,i12,i13,j18` },
  { name: '304 If-None-Match', method: 'GET', path: (x) => x.bookmark, o: (x) => ({ ...reader, headers: { 'if-none-match': x.bookmarkEtag } }), status: 304, headers: { etag: /^"1-j/ }, trace: `${pre},g7,g5,g6,c4,g8,h10,i12,i13,k13,j18` },
  { name: '304 If-Modified-Since', method: 'GET', path: (x) => x.bookmark, o: { ...reader, headers: { 'if-modified-since': new Date(Date.now() + 86400e3).toUTCString() } }, status: 304, trace: `${pre},g7,g5,g6,c4,g8,h10,i12,l13,l14,l15,l17` },
  { name: '200 If-Modified-Since on a list (no Last-Modified)', method: 'GET', path: '/bookmarks', o: { ...reader, headers: { 'if-modified-since': new Date(Date.now() + 86400e3).toUTCString() } }, status: 200, trace: `${pre},g7,g5,g6,c4,g8,h10,i12,l13,l14,l15,p3,p4,o18` },
  { name: '200 If-Modified-Since not a date', method: 'GET', path: (x) => x.bookmark, o: { ...reader, headers: { 'if-modified-since': 'yesterday' } }, status: 200, trace: `${pre},g7,g5,g6,c4,g8,h10,i12,l13,l14,p3,p4,o18` },
  { name: '409 illegal transition', method: 'POST', path: (x) => `${x.read}/read`, o: reader, status: 409, trace: `${found.replace(/,p4$/, '')}` },
  { name: '403 a role that may not take the action', method: 'POST', path: (x) => `${x.visit}/assign`, o: (x) => ({ as: 'north-clinician-1', json: { clinician_id: 'x' }, headers: { 'if-match': x.visitEtag } }), status: 403, trace: `${pre},g7,g5,g6,c4,g8,g9,g11,h10,i12,l13,p3` },
  { name: '422 body fails its schema', method: 'POST', path: '/bookmarks', o: { ...reader, json: {} }, status: 422, trace: found },
  { name: '201 created', method: 'POST', path: '/bookmarks', o: { ...reader, json: { bookmark_url: 'https://example.org/n', title: 'N' } }, status: 201, headers: { location: /^\/bookmarks\/[0-9a-f-]{36}$/, etag: /^"1-j/ }, trace: `${found},n11` },
  { name: '200 GET', method: 'GET', path: (x) => x.bookmark, o: reader, status: 200, headers: { etag: /^"1-j/, vary: /Accept/, 'last-modified': /GMT$/ }, trace: `${found},o18` },
  { name: '204 OPTIONS', method: 'OPTIONS', path: '/bookmarks', status: 204, headers: { allow: 'GET, HEAD, POST, OPTIONS' }, trace: 'b8a,b14,a1,b13,b12,b11,b10,b3' },
  { name: 'trace from AFFORDANCE_TRACE=1', on: 'env', method: 'GET', path: '/nothing', status: 404, trace: 'b8a,b14,a1' },
]

for (const row of rows) {
  test(`${row.name} → ${row.status}`, async () => {
    const server = servers[row.on ?? 'main']
    const path = typeof row.path === 'function' ? row.path(f) : row.path
    const o = typeof row.o === 'function' ? row.o(f) : row.o ?? {}
    const r = await server.request(row.method, path, o)
    assert.is(r.status, row.status, r.text)
    assert.is(r.headers.get('affordance-trace'), row.trace)
    for (const [name, want] of Object.entries(row.headers ?? {})) {
      const got = r.headers.get(name) ?? ''
      if (typeof want === 'string') assert.is(got, want, name)
      else assert.match(got, want, name)
    }
  })
}

test('the table walks through every cell of the graph', () => {
  const visited = new Set(rows.flatMap((r) => r.trace.split(',')))
  assert.equal(Object.keys(nodes).filter((cell) => !visited.has(cell)), [])
})

test('the trace is off by default', async () => {
  const s = await startServer()
  try {
    const r = await s.request('GET', '/health')
    assert.is(r.headers.get('affordance-trace'), null)
  } finally { await s.close() }
})

test('a successful transition: 200, new ETag, Content-Location', async () => {
  const { url, etag } = await f.fresh()
  const r = await servers.main.request('POST', `${url}/read`, reader)
  assert.is(r.status, 200)
  assert.is(r.headers.get('content-location'), url)
  assert.is.not(r.headers.get('etag'), etag)
  assert.is(r.headers.get('affordance-trace'), `${found},n11`)
  const now = await servers.main.request('GET', url, reader)
  assert.is(now.headers.get('etag'), r.headers.get('etag'))
})

test('bookmarks need no If-Match; visits do (428 says how to resubmit)', async () => {
  const v = await servers.main.request('POST', f.visit + '/assign', { as: 'north-dispatcher', json: { clinician_id: 'c' } })
  assert.is(v.status, 428)
  assert.match(v.json.detail, /If-Match/)
  const { url } = await f.fresh()
  assert.is((await servers.main.request('POST', `${url}/archive`, reader)).status, 200)
})

test('406 lists what is available', async () => {
  const r = await servers.main.request('GET', '/machines/visit', { headers: { accept: 'image/png' } })
  assert.is(r.status, 406)
  assert.equal(r.json.available, ['application/json', 'text/vnd.graphviz', 'text/vnd.mermaid', 'image/svg+xml'])
})

test('413 on a chunked body too (no Content-Length)', async () => {
  const chunks = Array.from({ length: 70 }, () => 'x'.repeat(1024))
  const r = await rawRequest(servers.main.url, 'POST', '/bookmarks', { headers: { authorization: `Bearer ${servers.main.tokens['north-reader'] ?? ''}`, 'content-type': 'application/json' }, chunks })
  assert.is(r.status, 413)
  assert.is((r.json as { status: number }).status, 413)
})

test('a chunked body within the limit is read', async () => {
  const r = await rawRequest(servers.main.url, 'POST', '/bookmarks', { headers: { authorization: `Bearer ${servers.main.tokens['north-reader'] ?? ''}`, 'content-type': 'application/json' }, chunks: ['{"bookmark_url":"https://example.org/c",', '"title":"C"}'] })
  assert.is(r.status, 201)
})

test.run()
