import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../../helpers/server.ts'

// A parameter a route does not read is refused, so that `?status=assigned` cannot look as if it filtered.
const test = suite('query parameters')
let server: TestServer
let item = ''
const reader = { as: 'north-reader' }
test.before(async () => {
  server = await startServer()
  item = (await server.request('POST', '/bookmarks', { ...reader, json: { bookmark_url: 'https://example.org/q', title: 'Q' } })).headers.get('location') as string
})
test.after(async () => { await server.close() })

const refused = async (path: string, method = 'GET'): Promise<string> => {
  const r = await server.request(method, path, reader)
  assert.is(r.status, 400, path.slice(0, 80))
  assert.is(r.json.status, 400)
  assert.is(r.headers.get('content-type'), 'application/problem+json')
  return r.json.detail as string
}

test('an unknown parameter on a collection is 400, naming the ones it reads', async () => {
  const detail = await refused('/visits?state=assigned')
  assert.match(detail, '"state"')
  assert.match(detail, 'status, clinician_id, patient, scheduled_for_after, scheduled_for_before, sort, limit, after')
})

test('every route refuses parameters it does not read, and names what it reads', async () => {
  const cases: [string, string][] = [
    ['/?x=1', 'no query parameters'], ['/health?x=1', 'no query parameters'], ['/machines/visit?x=1', 'only state'],
    ['/schemas/visit.json?x=1', 'no query parameters'], ['/problems/not-found?x=1', 'no query parameters'],
    [`${item}?x=1`, 'no query parameters'], [`${item}/history?x=1`, 'only limit, after'], ['/bookmarks?x=1', 'only read_status, limit, after'],
  ]
  for (const [path, reads] of cases) assert.match(await refused(path), reads, path)
  assert.match(await refused(`${item}/read?x=1`, 'POST'), 'no query parameters')
})

test('known parameters still work', async () => {
  for (const path of ['/bookmarks?limit=5', `${item}/history?limit=5`, '/machines/visit?state=assigned', '/', item]) {
    assert.is((await server.request('GET', path, reader)).status, 200, path)
  }
})

test('the echo is capped: at most three names, each cut short', async () => {
  const many = Array.from({ length: 12 }, (_, i) => `${'p'.repeat(500)}${i}=1`).join('&')
  const detail = await refused(`/bookmarks?${many}`)
  assert.ok(detail.length < 300, `${detail.length} characters`)
  assert.match(detail, 'and 9 more')
})

test('a limit out of range names the maximum', async () => {
  for (const limit of ['1000000', '101', '0', '-1', 'abc', '1e3', '']) {
    assert.match(await refused(`/bookmarks?limit=${limit}`), 'from 1 to 100', limit)
    assert.match(await refused(`${item}/history?limit=${limit}`), 'from 1 to 100', limit)
  }
  assert.is((await server.request('GET', '/bookmarks?limit=100', reader)).status, 200)
})

test.run()
