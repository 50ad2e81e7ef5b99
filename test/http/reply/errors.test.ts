import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../../helpers/server.ts'

const test = suite('errors are problems')
let server: TestServer
let url: string
test.before(async () => {
  server = await startServer()
  const r = await server.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/a', title: 'A' } })
  url = r.headers.get('location') as string
})
test.after(async () => { await server.close() })

const reader = { as: 'north-reader' }
test('create: 201 with Location, initial state and its links', async () => {
  const r = await server.request('POST', '/bookmarks', { ...reader, json: { bookmark_url: 'https://example.org/b', title: 'B' } })
  assert.is(r.status, 201)
  assert.match(r.headers.get('location') ?? '', /^\/bookmarks\/[0-9a-f-]{36}$/)
  assert.is(r.json.data.read_status, 'queued')
  assert.ok(r.json.read_url && r.json.archive_url && r.json.history_url)
})
test('422 lists each issue with its JSON pointer', async () => {
  const r = await server.request('POST', '/bookmarks', { ...reader, json: { bookmark_url: 'not a url', extra: 1 } })
  assert.is(r.status, 422)
  // A bad address breaks two rules (format and pattern), each its own issue.
  const paths = [...new Set<string>(r.json.issues.map((i: { path: string }) => i.path))].sort()
  assert.equal(paths, ['/bookmark_url', '/extra', '/title'])
})
for (const field of ['state', 'version', 'id', 'read_status']) {
  test(`a client cannot set "${field}" (422)`, async () => {
    const r = await server.request('POST', '/bookmarks', { ...reader, json: { bookmark_url: 'https://example.org/c', title: 'C', [field]: 'read' } })
    assert.is(r.status, 422)
    assert.equal(r.json.issues, [{ path: `/${field}`, keyword: 'additionalProperties', message: 'is not a field that can be set' }])
  })
}
test('a transition body that fails its schema (422) changes nothing', async () => {
  const v = await server.request('POST', '/visits', { as: 'north-dispatcher', json: { patient: 'P', address: 'A', scheduled_for: '2026-12-01T09:00:00Z' } })
  const loc = v.headers.get('location') as string
  const r = await server.request('POST', `${loc}/assign`, { as: 'north-dispatcher', json: { clinician_id: 42 }, headers: { 'if-match': v.headers.get('etag') as string } })
  assert.is(r.status, 422)
  assert.is(r.json.issues[0].path, '/clinician_id')
  const after = await server.request('GET', loc, { as: 'north-dispatcher' })
  assert.is(after.json.data.status, 'scheduled')
})
test('an action without input refuses a non-empty body (422)', async () => {
  const r = await server.request('POST', `${url}/archive`, { ...reader, json: { note: 'x' } })
  assert.is(r.status, 422)
})
test('malformed JSON is 400', async () => {
  const r = await server.request('POST', '/bookmarks', { ...reader, body: '{"title": ', headers: { 'content-type': 'application/json' } })
  assert.is(r.status, 400)
  assert.match(r.json.detail, /not valid JSON/)
})
test('JSON nested deeper than 32 is 400', async () => {
  const r = await server.request('POST', '/bookmarks', { ...reader, body: '['.repeat(33) + ']'.repeat(33), headers: { 'content-type': 'application/json' } })
  assert.is(r.status, 400)
  assert.match(r.json.detail, /deeper than 32/)
})
test('invalid UTF-8 is 400', async () => {
  const r = await server.request('POST', '/bookmarks', { ...reader, body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } })
  assert.is(r.status, 400)
  assert.match(r.json.detail, /UTF-8/)
})
test('a non-JSON body is 415 with Accept-Post', async () => {
  const r = await server.request('POST', '/bookmarks', { ...reader, body: 'title=x', headers: { 'content-type': 'text/plain' } })
  assert.is(r.status, 415)
  assert.match(r.headers.get('accept-post') ?? '', /application\/json/)
})
test('an unknown id is 404', async () => {
  const r = await server.request('GET', '/bookmarks/00000000-0000-0000-0000-000000000000', reader)
  assert.is(r.status, 404)
})
test('an unknown action is 404', async () => {
  const r = await server.request('POST', `${url}/explode`, reader)
  assert.is(r.status, 404)
})
test('an unknown path is 404', async () => {
  const r = await server.request('GET', '/nothing/here', reader)
  assert.is(r.status, 404)
})
test('pagination: limit at most 100, next_url walks every item once', async () => {
  for (let i = 0; i < 5; i++) await server.request('POST', '/bookmarks', { ...reader, json: { bookmark_url: `https://example.org/p${i}`, title: `P${i}` } })
  const seen: string[] = []
  let next: string | undefined = '/bookmarks?limit=2'
  while (next !== undefined) {
    const page: { status: number; json: { items: { url: string }[]; next_url?: string } } = await server.request('GET', next, reader)
    assert.is(page.status, 200)
    assert.ok(page.json.items.length <= 2)
    seen.push(...page.json.items.map((i) => i.url))
    next = page.json.next_url
  }
  assert.is(new Set(seen).size, seen.length)
  assert.ok(seen.length >= 7)
  assert.is((await server.request('GET', '/bookmarks?limit=100', reader)).status, 200)
  const big = await server.request('GET', '/bookmarks?limit=1000', reader)
  assert.is(big.status, 400)
  assert.match(big.json.detail, 'from 1 to 100')
  const bad = await server.request('GET', '/bookmarks?limit=abc', reader)
  assert.is(bad.status, 400)
})
// The costliest 422 a 64 KiB body can ask for: one issue per unknown key.
const manyKeys = (bytes: number): string => {
  let body = '{'
  for (let i = 0; body.length < bytes - 12; i++) body += `"${i.toString(36)}":0,`
  return `${body.slice(0, -1)}}`
}
test('the worst 64 KiB body gets a small 422, in JSON and in HTML', async () => {
  const body = manyKeys(64 * 1024)
  const r = await server.request('POST', '/bookmarks', { ...reader, body, headers: { 'content-type': 'application/json' } })
  assert.is(r.status, 422)
  assert.ok(Buffer.byteLength(r.text) < 4096, `${Buffer.byteLength(r.text)} bytes`)
  assert.ok(r.json.issues.length <= 20 && r.json.issues.length > 0)
  assert.ok(r.json.detail.length < 400, r.json.detail)
  assert.match(r.json.detail, /checking stopped at the first issue/, 'a body this large is checked up to its first issue')
  const page = await server.request('POST', '/bookmarks', { ...reader, body, headers: { 'content-type': 'application/json', accept: 'text/html' } })
  assert.is(page.status, 422)
  assert.ok(Buffer.byteLength(page.text) < 16 * 1024, `${Buffer.byteLength(page.text)} bytes of HTML`)
})
test('422 shows the first 20 issues and counts the rest', async () => {
  const json: Record<string, number> = { title: 1 }
  for (let i = 0; i < 30; i++) json[`extra${i}`] = i
  const r = await server.request('POST', '/bookmarks', { ...reader, json })
  assert.is(r.status, 422)
  assert.is(r.json.issues.length, 20)
  assert.is(r.json.issues_omitted, 12, 'bookmark_url missing, title not a string, 30 unknown fields: 32 issues')
  assert.match(r.json.detail, /; and 29 more\.$/, 'three named in detail, 17 more listed, 12 omitted')
})
test('a long field name is not echoed whole', async () => {
  const name = 'k'.repeat(60_000)
  const r = await server.request('POST', '/bookmarks', { ...reader, json: { bookmark_url: 'https://example.org/k', title: 'K', [name]: 1 } })
  assert.is(r.status, 422)
  assert.ok(Buffer.byteLength(r.text) < 2048, `${Buffer.byteLength(r.text)} bytes`)
  assert.match(r.json.issues[0].path, /^\/k+…$/)
})

test.run()
