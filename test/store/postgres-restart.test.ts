import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openPostgresStore } from '../../src/store/postgres/open.ts'
import type { PostgresStore } from '../../src/store/postgres/types.ts'
import { StoreUnavailable } from '../../src/store/types.ts'
import { startThrowawayCluster, type ThrowawayCluster } from '../helpers/pg-cluster.ts'
import { until } from '../helpers/postgres.ts'
import { createOp, newResource } from '../helpers/store-ops.ts'

// A server restarted under two instances: they answer 503 meanwhile, then come back on their own, revocations included.
const test = suite('postgres store: the server restarted')
let cluster: ThrowawayCluster
let a: PostgresStore
let b: PostgresStore
test.before(async () => {
  cluster = await startThrowawayCluster()
  a = await openPostgresStore({ url: cluster.url, connectionTimeoutMs: 1000 })
  b = await openPostgresStore({ url: cluster.url, connectionTimeoutMs: 1000 })
})
test.after(async () => {
  await a.close()
  await b.close()
  await cluster.destroy()
})

test('while the server is down: StoreUnavailable, unready, no remembered token trusted; after: ready and listening, without a request', async () => {
  await a.create(createOp(newResource('kept')))
  await a.addToken('h', { user_id: 'u', name: 'U', tenant: 'north', roles: [] }, 1)
  await cluster.stop('fast')

  const error = await Promise.resolve(a.get('kept')).then(() => undefined, (e: unknown) => e)
  assert.instance(error, StoreUnavailable)
  assert.is(await a.unready?.(), 'The database is unreachable.')
  await until(() => !b.listening(), 'the listener to notice')
  assert.is.not(b.tokenGeneration?.(), b.tokenGeneration?.())

  await cluster.start()
  await until(async () => (await a.unready?.()) === undefined && a.listening() && b.listening(), 'both instances to be back')
  assert.is(b.tokenGeneration?.(), b.tokenGeneration?.())
  assert.is((await b.get('kept'))?.id, 'kept')

  // Listening again, not only connected: a revocation at one still reaches the other.
  const before = b.tokenGeneration?.()
  assert.is(await a.revokeToken('h', 2), true)
  await b.syncTokenGeneration()
  assert.is.not(b.tokenGeneration?.(), before)
})

test.run()
