import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../../helpers/server.ts'
import { rawRequest } from '../../helpers/raw.ts'

// What a careless or hostile client sends at the edges: links that run code, dates that do
// not exist, codings we cannot undo, keys reused on another target, tags without quotes.
const test = suite('input hygiene')
let server: TestServer
let bookmark: string
let visit: string
let visitTag: string
test.before(async () => {
  server = await startServer()
  const b = await server.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/a', title: 'A' } })
  bookmark = b.headers.get('location') as string
  const v = await server.request('POST', '/visits', { as: 'north-dispatcher', json: { patient: 'P', address: 'A', scheduled_for: '2026-12-01T09:00:00Z' } })
  visit = v.headers.get('location') as string
  visitTag = v.headers.get('etag') as string
})
test.after(async () => { await server.close() })

const reader = { as: 'north-reader' }
const createBookmark = (bookmarkUrl: string) => server.request('POST', '/bookmarks', { ...reader, json: { bookmark_url: bookmarkUrl, title: 'T' } })

for (const bad of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'mailto:someone@example.org', 'https://', 'http//example.org']) {
  test(`bookmark_url ${bad} is refused (422 naming the field)`, async () => {
    const r = await createBookmark(bad)
    assert.is(r.status, 422)
    assert.equal([...new Set(r.json.issues.map((i: { path: string }) => i.path))], ['/bookmark_url'])
  })
}
for (const good of ['https://example.org/a?b=c#d', 'http://127.0.0.1:8080/', 'HTTPS://EXAMPLE.ORG/']) {
  test(`bookmark_url ${good} is accepted`, async () => {
    assert.is((await createBookmark(good)).status, 201)
  })
}

const createVisit = (when: string) => server.request('POST', '/visits', { as: 'north-dispatcher', json: { patient: 'P', address: 'A', scheduled_for: when } })
for (const bad of ['2026-02-31T00:00:00Z', '2026-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-12-01T24:00:01Z', '2026-12-01T09:00:00', '2026-12-01']) {
  test(`scheduled_for ${bad} is not a date-time (422)`, async () => {
    const r = await createVisit(bad)
    assert.is(r.status, 422)
    assert.equal(r.json.issues.map((i: { path: string }) => i.path), ['/scheduled_for'])
  })
}
for (const good of ['2028-02-29T00:00:00Z', '2026-12-01T09:00:00.5+02:00', '2026-12-01t09:00:00z']) {
  test(`scheduled_for ${good} is a date-time`, async () => {
    assert.is((await createVisit(good)).status, 201)
  })
}

test('Transfer-Encoding: gzip, chunked is 501: the coding would otherwise be ignored', async () => {
  const r = await rawRequest(server.url, 'POST', '/bookmarks', { headers: { authorization: `Bearer ${server.tokens['north-reader'] ?? ''}`, 'content-type': 'application/json', 'transfer-encoding': 'gzip, chunked' }, chunks: ['{"bookmark_url":"https://example.org/z","title":"Z"}'] })
  assert.is(r.status, 501)
  const doc = r.json as { status: number; detail: string }
  assert.is(doc.status, 501)
  assert.match(doc.detail, /gzip/)
  assert.match(doc.detail, /chunked/)
})
test('Transfer-Encoding: chunked alone is read as usual', async () => {
  const r = await rawRequest(server.url, 'POST', '/bookmarks', { headers: { authorization: `Bearer ${server.tokens['north-reader'] ?? ''}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunks: ['{"bookmark_url":"https://example.org/y",', '"title":"Y"}'] })
  assert.is(r.status, 201)
})

test('an Idempotency-Key reused with another query string is a different request (422), not a replay', async () => {
  const headers = { 'idempotency-key': 'query-key-1' }
  const first = await server.request('POST', '/bookmarks?limit=5', { ...reader, headers, json: { bookmark_url: 'https://example.org/q', title: 'Q' } })
  assert.is(first.status, 201)
  const again = await server.request('POST', '/bookmarks?limit=5', { ...reader, headers, json: { bookmark_url: 'https://example.org/q', title: 'Q' } })
  assert.is(again.headers.get('idempotent-replayed'), 'true')
  const other = await server.request('POST', '/bookmarks?limit=6', { ...reader, headers, json: { bookmark_url: 'https://example.org/q', title: 'Q' } })
  assert.is(other.status, 422)
  assert.is(other.json.type, '/problems/idempotency-key-reused')
})

for (const field of ['if-match', 'if-none-match']) {
  test(`an unquoted ${field} is 400 and says that entity-tags are quoted`, async () => {
    const r = await server.request('POST', `${visit}/cancel`, { as: 'north-dispatcher', json: { reason: 'r' }, headers: { 'if-match': visitTag, [field]: '1-jh' } })
    assert.is(r.status, 400)
    assert.match(r.json.detail, /1-jh/)
    assert.match(r.json.detail, /quoted/)
    assert.match(r.json.detail, /"1-jh"/)
    const after = await server.request('GET', visit, { as: 'north-dispatcher' })
    assert.is(after.json.data.status, 'scheduled')
  })
  test(`a malformed ${field} on a GET is 400 too`, async () => {
    const r = await server.request('GET', bookmark, { ...reader, headers: { [field]: 'W/1-jh' } })
    assert.is(r.status, 400)
    assert.match(r.json.detail, /quoted/)
  })
}
test('an unquoted If-Match echoes at most a short piece of the field', async () => {
  const r = await server.request('GET', bookmark, { ...reader, headers: { 'if-match': 'x'.repeat(5000) } })
  assert.is(r.status, 400)
  assert.ok(r.json.detail.length < 300, r.json.detail)
})
test('a well-formed If-Match that does not match is still 412', async () => {
  const r = await server.request('POST', `${visit}/cancel`, { as: 'north-dispatcher', json: { reason: 'r' }, headers: { 'if-match': '"99-jh"' } })
  assert.is(r.status, 412)
})

const form = { 'content-type': 'application/x-www-form-urlencoded' }
test('JSON sent as a form (curl -d) is 400 and asks for Content-Type: application/json', async () => {
  const r = await server.request('POST', '/visits', { as: 'north-dispatcher', headers: form, body: '{"patient":"P","address":"A","scheduled_for":"2026-12-01T09:00:00Z"}' })
  assert.is(r.status, 400)
  assert.match(r.json.detail, /did you mean Content-Type: application\/json\?/)
})
test('a JSON array sent as a form, after white space, gets the same hint', async () => {
  const r = await server.request('POST', '/bookmarks', { ...reader, headers: form, body: '\n  [1]' })
  assert.is(r.status, 400)
  assert.match(r.json.detail, /application\/json/)
})
test('JSON without a Content-Type, or as text/plain, is 415 with the same hint', async () => {
  const bare = await rawRequest(server.url, 'POST', '/bookmarks', { headers: { authorization: `Bearer ${server.tokens['north-reader'] ?? ''}`, 'content-length': '13' }, chunks: ['{"title":"T"}'] })
  assert.is(bare.status, 415)
  assert.match((bare.json as { detail: string }).detail, /unlabelled.*did you mean Content-Type: application\/json\?/)
  const plain = await server.request('POST', '/bookmarks', { ...reader, body: '{"title":"T"}', headers: { 'content-type': 'text/plain' } })
  assert.is(plain.status, 415)
  assert.match(plain.json.detail, /did you mean Content-Type: application\/json\?/)
})
test('a real form still posts', async () => {
  const r = await server.request('POST', '/bookmarks', { ...reader, headers: form, body: 'bookmark_url=https%3A%2F%2Fexample.org%2Ff&title=F' })
  assert.is(r.status, 201)
})

test('an empty form post that asks for HTML answers 303 to the resource (Post/Redirect/Get)', async () => {
  const r = await server.request('POST', `${bookmark}/archive`, { ...reader, headers: { ...form, accept: 'text/html' }, body: '' })
  assert.is(r.status, 303)
  assert.is(r.headers.get('location'), bookmark)
})
test('a form post without a body and without Content-Length, asking for HTML, answers 303 too', async () => {
  const r = await server.request('POST', `${bookmark}/queue`, { ...reader, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', accept: 'text/html' } })
  assert.is(r.status, 303)
  assert.is(r.headers.get('location'), bookmark)
})
test('an empty JSON post asking for HTML answers with the page, as before', async () => {
  const r = await server.request('POST', `${bookmark}/archive`, { ...reader, headers: { accept: 'text/html' } })
  assert.is(r.status, 200)
})

test.run()
