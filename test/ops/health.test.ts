import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../helpers/server.ts'
import { queryDatabase } from '../helpers/stores.ts'

// Live is "the process answers"; ready is "send me traffic": database reachable, migrations applied, not draining.
const test = suite('health and readiness')
const open: TestServer[] = []
const start = async (options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> => {
  const s = await startServer(options)
  open.push(s)
  return s
}
test.after(async () => {
  for (const s of open) await s.close().catch(() => undefined)
})

test('a fresh app is live and ready', async () => {
  const s = await start()
  const live = await s.request('GET', '/health')
  assert.is(live.status, 200)
  const ready = await s.request('GET', '/ready')
  assert.is(ready.status, 200)
  assert.equal(ready.json, { status: 'ready' })
  assert.is(ready.headers.get('cache-control'), 'no-store')
  assert.is((await s.request('HEAD', '/ready')).status, 200)
  assert.is((await s.request('POST', '/ready')).status, 405)
})

test('a draining app is still live, but not ready: 503 with Retry-After and a problem', async () => {
  const s = await start()
  assert.is(s.app.draining, false)
  s.app.drain()
  assert.is(s.app.draining, true)
  const ready = await s.request('GET', '/ready')
  assert.is(ready.status, 503)
  assert.ok(ready.headers.get('retry-after') !== null)
  assert.match(ready.json.detail as string, /draining/)
  assert.type(ready.json.request_id, 'string')
  assert.is((await s.request('GET', '/health')).status, 200)
  // Draining only flips readiness: requests in flight and new ones are still served.
  assert.is((await s.request('GET', '/bookmarks', { as: 'north-reader' })).status, 200)
})

test('missing migrations make the app not ready', async () => {
  const s = await start()
  await queryDatabase({ location: s.database, kind: s.storeKind }, 'DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)')
  const ready = await s.request('GET', '/ready')
  assert.is(ready.status, 503)
  assert.match(ready.json.detail as string, /migration/)
})

test('an unreachable database makes the app not ready, but still live', async () => {
  const s = await start()
  await s.app.store.close()
  const ready = await s.request('GET', '/ready')
  assert.is(ready.status, 503)
  assert.match(ready.json.detail as string, /database/)
  assert.is((await s.request('GET', '/health')).status, 200)
})

test('an app in maintenance is not ready', async () => {
  const s = await start({ maintenance: true })
  assert.is((await s.request('GET', '/ready')).status, 503)
  assert.is((await s.request('GET', '/health')).status, 200)
})

test('/ready is neither rate-limited nor behind credentials', async () => {
  const s = await start({ rateLimit: { capacity: 1, refillPerSecond: 0.001 } })
  for (let i = 0; i < 3; i++) assert.is((await s.request('GET', '/ready')).status, 200)
})

test.run()
