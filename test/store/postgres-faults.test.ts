import pg from 'pg'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openPostgresStore } from '../../src/store/postgres/open.ts'
import type { PostgresStore } from '../../src/store/postgres/types.ts'
import { StoreUnavailable } from '../../src/store/types.ts'
import { adminQuery, freshSchemaUrl, until, type FreshSchema } from '../helpers/postgres.ts'
import { createOp, newResource } from '../helpers/store-ops.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'

// PostgreSQL only: what a caller sees when the database is out of reach or busy, and what is left after close.
const test = suite('postgres store: faults and connections')
let schema: FreshSchema
test.before(async () => { schema = await freshSchemaUrl() })
test.after(async () => { await schema.drop() })

const appName = (): string => new URL(schema.url).searchParams.get('application_name') as string
const connections = async (name: string): Promise<number> =>
  (await adminQuery<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [name]))[0]?.n ?? 0

/** Rejects with StoreUnavailable, or fails the test naming what it got instead. */
async function unavailable(work: unknown): Promise<StoreUnavailable> {
  try {
    await work
  } catch (error) {
    if (error instanceof StoreUnavailable) return error
    throw error
  }
  throw new Error('expected StoreUnavailable, got an answer')
}

/** A second connection holding an exclusive lock on `table` until released (once; later calls do nothing). */
async function lockTable(url: string, table: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query('BEGIN')
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`)
  let released = false
  return async () => {
    if (released) return
    released = true
    await client.query('ROLLBACK')
    await client.end()
  }
}

test('a database that cannot be reached fails the opening, saying so', async () => {
  const error = await unavailable(openPostgresStore({ url: 'postgres://postgres@127.0.0.1:1/postgres', listen: false }))
  assert.match(error.message, /unreachable.*ECONNREFUSED/)
  assert.ok(error.retryAfterSeconds >= 1 && error.retryAfterSeconds <= 2)
})

test('every connection busy and no room to wait: the next request fails at once, and the store stays ready', async () => {
  // A long wait for a connection: the failure must come from the full queue, not from waiting out the timeout.
  const store = await openPostgresStore({ url: schema.url, max: 1, maxWaiting: 0, connectionTimeoutMs: 60_000, listen: false })
  const release = await lockTable(schema.url, 'resources')
  try {
    const held = store.get('x')
    const error = await unavailable(store.get('y'))
    assert.is(error.message, 'Every database connection is busy.')
    assert.is(error.retryAfterSeconds, 1)
    assert.is(await store.unready?.(), undefined)
    await release()
    assert.is(await held, undefined)
  } finally {
    await store.close()
  }
})

test('requests made together while a connection is idle: the pool size plus the queue are admitted, the rest fail at once', async () => {
  const store = await openPostgresStore({ url: schema.url, max: 2, maxWaiting: 3, connectionTimeoutMs: 60_000, listen: false })
  let release = async (): Promise<void> => {}
  try {
    // One connection opened and idle, as after any earlier request.
    assert.is(await store.get('warm'), undefined)
    release = await lockTable(schema.url, 'resources')
    const settled: unknown[] = []
    const gets = Array.from({ length: 10 }, (_, i) => Promise.resolve(store.get(`r${i}`)).then(
      (value) => { settled.push(value) },
      (error: unknown) => { settled.push(error) },
    ))
    await until(() => settled.length === 5, 'the requests beyond the pool and its queue to be refused')
    assert.ok(settled.every((e) => e instanceof StoreUnavailable && e.message === 'Every database connection is busy.'))
    await release()
    await Promise.all(gets)
    assert.equal(settled.slice(5), [undefined, undefined, undefined, undefined, undefined], 'the admitted ones are answered once the lock is gone')
    assert.is(await store.get('after'), undefined)
  } finally {
    await release()
    await store.close()
  }
})

test('a connection an administrator terminates (57P01) fails its request with StoreUnavailable', async () => {
  const store = await openPostgresStore({ url: schema.url, listen: false })
  const release = await lockTable(schema.url, 'resources')
  try {
    // Its failure is awaited below; taken in hand now, so that it is never an unhandled rejection meanwhile.
    const blocked = unavailable(store.get('x'))
    const waiting = async (): Promise<{ pid: number }[]> =>
      adminQuery<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [appName()])
    await until(async () => (await waiting()).length === 1, 'the query to wait for the lock')
    await adminQuery('SELECT pg_terminate_backend($1)', [(await waiting())[0]?.pid])
    assert.match((await blocked).message, /terminat/)
    await release()
    assert.is(await store.get('x'), undefined, 'the next request is served on a new connection')
  } finally {
    await release()
    await store.close()
  }
})

test('errors of the query itself propagate as they are', async () => {
  const store = await openPostgresStore({ url: schema.url, listen: false })
  try {
    await store.create(createOp(newResource('dup')))
    try {
      await store.create(createOp(newResource('dup')))
      assert.unreachable('created twice')
    } catch (error) {
      assert.not.instance(error, StoreUnavailable)
      assert.is((error as { code?: string }).code, '23505')
    }
    assert.is(await store.unready?.(), undefined)
  } finally {
    await store.close()
  }
})

test('connections are named, and close leaves none behind', async () => {
  const store = await openPostgresStore({ url: schema.url })
  await store.create(createOp(newResource('named')))
  await Promise.all([store.get('named'), store.history('named')])
  // The pooled ones and the listener.
  assert.ok((await connections(appName())) >= 2)
  await store.close()
  assert.is(await connections(appName()), 0)
  // Closing again (a shutdown path and a test's cleanup both may) is harmless.
  await store.close()

  const url = new URL(schema.url)
  url.searchParams.delete('application_name')
  const unnamed = await openPostgresStore({ url: url.toString() })
  const ours = async (): Promise<number> => (await adminQuery<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'affordance' AND datname = current_database()"))[0]?.n ?? 0
  assert.ok((await ours()) >= 1)
  await unnamed.close()
  assert.is(await ours(), 0)
})

test('a database out of reach makes the store unready and its token cache untrusted, until it is back', async () => {
  const target = new URL(schema.url)
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
  target.port = String(proxy.port)
  let store: PostgresStore | undefined
  try {
    store = await openPostgresStore({ url: target.toString(), connectionTimeoutMs: 500 })
    const s = store
    await s.get('warm')
    assert.is(await s.unready?.(), undefined)
    const steady = s.tokenGeneration?.()
    assert.is(s.tokenGeneration?.(), steady)

    await proxy.cut()
    await unavailable(s.get('x'))
    assert.is(await s.unready?.(), 'The database is unreachable.')
    await until(() => !s.listening(), 'the listener to notice')
    assert.is.not(s.tokenGeneration?.(), s.tokenGeneration?.())

    await proxy.restore()
    // Readiness comes back without any request: the store probes on its own.
    await until(async () => (await s.unready?.()) === undefined && s.listening(), 'the store to be ready and listening again')
    const after = s.tokenGeneration?.()
    assert.is(s.tokenGeneration?.(), after)
    assert.is(await s.get('warm'), undefined)
  } finally {
    await store?.close()
    await proxy.close()
  }
})

test('revocations are waited for on a listener that lags, and one that stalls counts as lost after the connection timeout', async () => {
  const target = new URL(schema.url)
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
  target.port = String(proxy.port)
  const far = await openPostgresStore({ url: target.toString(), connectionTimeoutMs: 500 })
  const near = await openPostgresStore({ url: schema.url, listen: false })
  try {
    await until(() => far.listening(), 'the listener to listen')
    await near.addToken('lagging', { user_id: 'u', name: 'U', tenant: 'north', roles: [] }, 1)
    proxy.lag(100)
    const before = far.tokenGeneration?.()
    assert.is(await near.revokeToken('lagging', 2), true)
    // Waits made together share round trips; each ends with the revocation heard.
    const seen = await Promise.all(Array.from({ length: 10 }, async () => {
      await far.syncTokenGeneration()
      return far.tokenGeneration?.()
    }))
    for (const generation of seen) assert.is.not(generation, before)
    assert.ok(far.listening())

    proxy.lag(60_000)
    await far.syncTokenGeneration()
    assert.is(far.listening(), false, 'a round trip unanswered within the timeout: no remembered token is trusted')
  } finally {
    await proxy.close()
    await far.close()
    await near.close()
  }
})

test.run()
