import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createApp, openStore } from '../../../src/index.ts'
import { bookmark, visit } from '../../../src/resources/index.ts'
import { inputFor, resourceIn } from '../../helpers/machines.ts'
import { dispatcher, idempotencyFixtures } from '../../helpers/idempotency.ts'
import { send, startServer, type TestServer } from '../../helpers/server.ts'

// One key, many simultaneous requests: exactly one takes effect, the others replay or get 409.
const test = suite('idempotency keys under concurrency')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const { freshKey, create, historyLength } = idempotencyFixtures(() => server)
const visitCount = async (): Promise<number> => (await server.request('GET', '/visits?limit=100', { as: 'north-admin' })).json.items.length

test('20 concurrent creates with one key: exactly one execution', async () => {
  const before = await visitCount()
  const key = freshKey()
  const replies = await Promise.all(Array.from({ length: 20 }, () => create(key)))
  const created = replies.filter((r) => r.status === 201)
  const fresh = created.filter((r) => r.headers.get('idempotent-replayed') === null)
  assert.is(fresh.length, 1, replies.map((r) => r.status).join(','))
  for (const r of replies) assert.ok(r.status === 201 || r.status === 409, `status ${r.status}`)
  for (const r of created) assert.is(r.headers.get('location'), fresh[0]?.headers.get('location'))
  assert.is(await visitCount(), before + 1)
})

test('20 concurrent transitions with one key: one history row', async () => {
  const { url, etag } = await resourceIn(server, visit, 'scheduled', dispatcher)
  const key = freshKey()
  const replies = await Promise.all(Array.from({ length: 20 }, () =>
    server.request('POST', `${url}/cancel`, { as: dispatcher, json: inputFor(visit, 'cancel'), headers: { 'if-match': etag, 'idempotency-key': key } })))
  for (const r of replies) assert.ok(r.status === 200 || r.status === 409, `status ${r.status}`)
  assert.is(replies.filter((r) => r.status === 200 && r.headers.get('idempotent-replayed') === null).length, 1)
  assert.is(await historyLength(url), 2)
})

test('two apps on one database (no shared memory): one execution', async () => {
  const twin = createApp({ resources: [bookmark, visit], database: await openStore(server.database), log: () => {} })
  const http = createServer(twin.callback())
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  try {
    const twinUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    const { url, etag } = await resourceIn(server, visit, 'scheduled', dispatcher)
    const key = freshKey()
    const options = { as: dispatcher, json: inputFor(visit, 'cancel'), headers: { 'if-match': etag, 'idempotency-key': key } }
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0 ? server.request('POST', `${url}/cancel`, options) : send(twinUrl, server.tokens, 'POST', `${url}/cancel`, options)))
    for (const r of replies) assert.ok(r.status === 200 || r.status === 409, `status ${r.status}`)
    assert.is(replies.filter((r) => r.status === 200 && r.headers.get('idempotent-replayed') === null).length, 1)
    assert.is(await historyLength(url), 2)
  } finally {
    http.closeAllConnections()
    await new Promise<void>((resolve) => http.close(() => resolve()))
    await twin.close()
  }
})

test.run()
