import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { rawRequest } from '../../helpers/raw.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Validators on the wire: what a 304 repeats, second precision, and which errors win over preconditions.
const test = suite('validators and 304')
let server: TestServer
let clock = Date.UTC(2026, 5, 1, 12, 0, 0, 900)
const as = 'north-reader'
const auth = (user = as): Record<string, string> => ({ authorization: `Bearer ${server.tokens[user] ?? ''}` })
const create = async (title = 'V'): Promise<{ url: string; etag: string; lastModified: string }> => {
  const r = await server.request('POST', '/bookmarks', { as, json: { bookmark_url: 'https://example.org/v', title } })
  return { url: r.headers.get('location') as string, etag: r.headers.get('etag') as string, lastModified: r.headers.get('last-modified') as string }
}
test.before(async () => { server = await startServer({ now: () => clock }) })
test.after(async () => { await server.close() })

// RFC 9110 §15.4.5: the fields that guide cache updates; other metadata SHOULD NOT be sent.
const SAME = ['etag', 'vary', 'cache-control']
for (const [name, path] of [['item', ''], ['history', '/history']] as const) {
  test(`${name}: a 304 repeats ETag, Vary and Cache-Control of the 200, with no body`, async () => {
    const { url } = await create()
    const ok = await rawRequest(server.url, 'GET', url + path, { headers: auth() })
    for (const conditional of [{ 'if-none-match': ok.headers.get('etag') ?? '' }, { 'if-modified-since': ok.headers.get('last-modified') ?? '' }]) {
      const r = await rawRequest(server.url, 'GET', url + path, { headers: { ...auth(), ...conditional } })
      assert.is(r.status, 304)
      assert.is(r.bytes.length, 0)
      for (const h of SAME) assert.is(r.headers.get(h), ok.headers.get(h), h)
      assert.is(r.headers.get('last-modified'), null)
      assert.is(r.headers.get('content-type'), null)
    }
  })
}

// One rule for every 304: the fields §15.4.5 lists, as the 200 sent them; no Last-Modified
// beside an ETag (it is for caches without one), no Link and no other metadata.
const ALLOWED_ON_304 = new Set(['etag', 'vary', 'cache-control', 'expires', 'content-location', 'date', 'connection', 'keep-alive', 'affordance-trace', 'x-request-id'])
test('every route: a 304 carries only ETag, Vary, Cache-Control (and Date), as its 200 did', async () => {
  const { url } = await create()
  const routes = ['/', '/health', '/machines/bookmark', '/machines/bookmark?state=read', '/schemas/bookmark.json', '/problems/not-found', '/bookmarks', '/bookmarks?limit=1', url, `${url}/history`]
  for (const path of routes) {
    for (const accept of ['application/json', 'text/html', 'application/vnd.siren+json', '*/*']) {
      const ok = await rawRequest(server.url, 'GET', path, { headers: { ...auth(), accept } })
      if (ok.status === 406) continue
      assert.is(ok.status, 200, `${path} ${accept}`)
      const r = await rawRequest(server.url, 'GET', path, { headers: { ...auth(), accept, 'if-none-match': ok.headers.get('etag') ?? '' } })
      assert.is(r.status, 304, `${path} ${accept}`)
      for (const h of SAME) assert.is(r.headers.get(h), ok.headers.get(h), `${path} ${accept} ${h}`)
      for (const [name] of r.headers) assert.ok(ALLOWED_ON_304.has(name), `${path} ${accept}: a 304 sends ${name}`)
    }
  }
})

test('Last-Modified has second precision and comparisons respect it', async () => {
  const { url, lastModified } = await create()
  assert.is(Date.parse(lastModified), Math.floor(clock / 1000) * 1000, 'updated_at is 900 ms into that second')
  const get = (h: Record<string, string>) => server.request('GET', url, { as, headers: h })
  assert.is((await get({ 'if-modified-since': lastModified })).status, 304)
  assert.is((await get({ 'if-unmodified-since': lastModified })).status, 200)
  const before = new Date(Date.parse(lastModified) - 1000).toUTCString()
  assert.is((await get({ 'if-modified-since': before })).status, 200)
  assert.is((await get({ 'if-unmodified-since': before })).status, 412)
})

test('the obsolete HTTP-date forms are accepted', async () => {
  const { url } = await create()
  for (const form of ['Monday, 01-Jun-26 12:00:00 GMT', 'Mon Jun  1 12:00:00 2026']) {
    assert.is((await server.request('GET', url, { as, headers: { 'if-modified-since': form } })).status, 304, form)
  }
})

test('a write in the same second changes the ETag but not Last-Modified', async () => {
  const { url, etag, lastModified } = await create()
  const r = await server.request('POST', `${url}/read`, { as })
  assert.is(r.headers.get('last-modified'), lastModified)
  assert.is.not(r.headers.get('etag'), etag)
  assert.is((await server.request('GET', url, { as, headers: { 'if-none-match': etag } })).status, 200)
  clock += 1000
  const later = await server.request('POST', `${url}/reread`, { as })
  assert.ok(Date.parse(later.headers.get('last-modified') ?? '') > Date.parse(lastModified))
})

test('preconditions are ignored when the answer is 404, 401 or 406', async () => {
  const { url, lastModified } = await create()
  const fail = { 'if-match': '"nope"', 'if-unmodified-since': 'Sun, 06 Nov 1994 08:49:37 GMT' }
  const hit = { 'if-none-match': '*', 'if-modified-since': lastModified }
  for (const h of [fail, hit]) {
    assert.is((await server.request('GET', '/bookmarks/00000000-0000-0000-0000-000000000000', { as, headers: h })).status, 404)
    assert.is((await server.request('GET', url, { as: 'south-reader', headers: h })).status, 404)
    assert.is((await server.request('GET', url, { headers: h })).status, 401)
    assert.is((await server.request('GET', url, { as, headers: { ...h, accept: 'image/png' } })).status, 406)
    assert.is((await server.request('POST', `${url}/read`, { headers: h })).status, 401)
  }
})

test('a 412 names the current version and state', async () => {
  const { url } = await create()
  const r = await server.request('POST', `${url}/archive`, { as, headers: { 'if-match': '"7-j0"' } })
  assert.is(r.status, 412)
  assert.is(r.json.current_version, 1)
  assert.is(r.json.current_state, 'queued')
})

test('an HTML form carries If-Match in the hidden field _if_match', async () => {
  const v = await server.request('POST', '/visits', { as: 'north-dispatcher', json: { patient: 'P', address: 'A', scheduled_for: '2026-12-01T09:00:00Z' } })
  const url = v.headers.get('location') as string
  const form = (ifMatch: string) => server.request('POST', `${url}/assign`, { as: 'north-dispatcher', body: `clinician_id=north-clinician-1&_if_match=${encodeURIComponent(ifMatch)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  assert.is((await form('"9-j0"')).status, 412)
  const ok = await form(v.headers.get('etag') as string)
  assert.is(ok.status, 200)
  assert.is(ok.json.data.status, 'assigned')
})

test.run()
