import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createApp, openStore } from '../../../src/index.ts'
import { parseIdempotencyKey } from '../../../src/http/features/idempotency.ts'
import { bookmark, visit } from '../../../src/resources/index.ts'
import { inputFor, resourceIn } from '../../helpers/machines.ts'
import { dispatcher, idempotencyFixtures, newVisit } from '../../helpers/idempotency.ts'
import { startServer, type Reply, type TestServer } from '../../helpers/server.ts'

const test = suite('idempotency keys')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const { freshKey, create, historyLength } = idempotencyFixtures(() => server)
const visitCount = async (): Promise<number> => (await server.request('GET', '/visits?limit=100', { as: 'north-admin' })).json.items.length

const REPLAYED = ['location', 'content-location', 'etag', 'content-type', 'link'] as const
function assertSameReply(first: Reply, again: Reply): void {
  assert.is(again.status, first.status)
  assert.is(again.text, first.text, 'byte-identical body')
  for (const h of REPLAYED) assert.is(again.headers.get(h), first.headers.get(h), h)
  assert.is(again.headers.get('idempotent-replayed'), 'true')
  assert.is(first.headers.get('idempotent-replayed'), null)
}

test('sequential create replay: same reply, one resource', async () => {
  const before = await visitCount()
  const key = freshKey()
  const first = await create(key)
  assert.is(first.status, 201)
  const again = await create(key)
  assertSameReply(first, again)
  assert.is(await visitCount(), before + 1)
})

test('the key may be sent as a structured-field string or bare', async () => {
  const key = freshKey()
  const first = await create(`"${key}"`)
  const again = await create(key)
  assertSameReply(first, again)
})

test('sequential transition replay: one history row', async () => {
  const { url, etag } = await resourceIn(server, visit, 'scheduled', dispatcher)
  const key = freshKey()
  const send = (): Promise<Reply> => server.request('POST', `${url}/assign`, { as: dispatcher, json: inputFor(visit, 'assign'), headers: { 'if-match': etag, 'idempotency-key': key } })
  const first = await send()
  assert.is(first.status, 200, first.text)
  assert.is(await historyLength(url), 2)
  // The If-Match is stale now: the replay is checked before preconditions.
  const again = await send()
  assertSameReply(first, again)
  assert.is(await historyLength(url), 2)
})

test('a replay comes before the precondition check: even without If-Match it is not 428', async () => {
  const { url, etag } = await resourceIn(server, visit, 'scheduled', dispatcher)
  const key = freshKey()
  const first = await server.request('POST', `${url}/cancel`, { as: dispatcher, json: inputFor(visit, 'cancel'), headers: { 'if-match': etag, 'idempotency-key': key } })
  assert.is(first.status, 200)
  const again = await server.request('POST', `${url}/cancel`, { as: dispatcher, json: inputFor(visit, 'cancel'), headers: { 'idempotency-key': key } })
  assertSameReply(first, again)
  const fresh = await server.request('POST', `${url}/cancel`, { as: dispatcher, json: inputFor(visit, 'cancel'), headers: { 'idempotency-key': freshKey() } })
  assert.is(fresh.status, 428, 'a new key still needs its precondition')
})

test('same key, different body → 422, nothing stored', async () => {
  const before = await visitCount()
  const key = freshKey()
  assert.is((await create(key)).status, 201)
  const other = await create(key, dispatcher, { ...newVisit, patient: 'Someone Else' })
  assert.is(other.status, 422)
  assert.is(other.json.type, '/problems/idempotency-key-reused')
  assert.is(await visitCount(), before + 1)
})

test('same key on another path → 422', async () => {
  const { url, etag } = await resourceIn(server, visit, 'scheduled', dispatcher)
  const key = freshKey()
  assert.is((await create(key)).status, 201)
  const r = await server.request('POST', `${url}/assign`, { as: dispatcher, json: inputFor(visit, 'assign'), headers: { 'if-match': etag, 'idempotency-key': key } })
  assert.is(r.status, 422)
  assert.is(await historyLength(url), 1)
})

test('another principal sending the same key is never replayed', async () => {
  const key = freshKey()
  const mine = await create(key)
  const theirs = await create(key, 'north-admin')
  assert.is(theirs.status, 201)
  assert.is(theirs.headers.get('idempotent-replayed'), null)
  assert.is.not(theirs.headers.get('location'), mine.headers.get('location'))
  const southern = await create(key, 'south-dispatcher')
  assert.is(southern.status, 201)
  assert.is.not(southern.headers.get('location'), mine.headers.get('location'))
})

test('a refused request stores nothing: its retry is judged afresh', async () => {
  const { url, etag } = await resourceIn(server, visit, 'scheduled', dispatcher)
  const key = freshKey()
  const send = (as: string): Promise<Reply> => server.request('POST', `${url}/assign`, { as, json: inputFor(visit, 'assign'), headers: { 'if-match': etag, 'idempotency-key': key } })
  assert.is((await send('north-clinician-1')).status, 403)
  const ok = await send(dispatcher)
  assert.is(ok.status, 200)
  assert.is(ok.headers.get('idempotent-replayed'), null)
})

for (const [label, key] of [
  ['longer than 255 characters', 'k'.repeat(256)],
  ['empty', '""'],
  ['a bad sf-string', '"unterminated'],
  ['with spaces, unquoted', 'two words'],
  ['a quoted string with a bad escape', '"a\\nb"'],
] as const) {
  test(`a key ${label} → 400, nothing created`, async () => {
    const before = await visitCount()
    const r = await create(key)
    assert.is(r.status, 400)
    assert.match(r.json.detail, /Idempotency-Key/)
    assert.is(await visitCount(), before)
  })
}

test('a key of exactly 255 characters is accepted', async () => {
  const key = `${freshKey()}-`.padEnd(255, 'x')
  const first = await create(key)
  assert.is(first.status, 201)
  assertSameReply(first, await create(key))
})

test('parsing: sf-string with escapes, bare keys, surrounding spaces', () => {
  assert.equal(parseIdempotencyKey('"a\\"b\\\\c"'), { key: 'a"b\\c' })
  assert.equal(parseIdempotencyKey('  "8e03978e-40d5-43e8-bc93-6894a57f9324"  '), { key: '8e03978e-40d5-43e8-bc93-6894a57f9324' })
  assert.equal(parseIdempotencyKey('bare-key_1'), { key: 'bare-key_1' })
  assert.is(parseIdempotencyKey(undefined), undefined)
  assert.type(parseIdempotencyKey('"é"'), 'string')
})

test('a retention under 24 hours is refused at start-up', () => {
  assert.throws(() => createApp({ resources: [bookmark, visit], database: ':memory:', idempotencyRetentionMs: 60_000 }), /at least 24 hours/)
})

test('the stored reply is kept at least 24 hours, then pruned', async () => {
  let now = Date.now()
  const clocked = await startServer({ now: () => now })
  try {
    const key = 'pruned-key'
    const send = (): Promise<Reply> => clocked.request('POST', '/visits', { as: dispatcher, json: newVisit, headers: { 'idempotency-key': key } })
    const first = await send()
    now += 23 * 60 * 60 * 1000
    assert.is(await clocked.app.store.pruneIdempotency(now - 24 * 60 * 60 * 1000), 0)
    assert.is((await send()).headers.get('idempotent-replayed'), 'true')
    now += 2 * 60 * 60 * 1000
    // Another app opening the same database prunes at start-up.
    const other = createApp({ resources: [bookmark, visit], database: await openStore(clocked.database), now: () => now })
    await other.ready()
    await other.close()
    const later = await send()
    assert.is(later.status, 201)
    assert.is.not(later.headers.get('location'), first.headers.get('location'))
  } finally {
    await clocked.close()
  }
})

test.run()
