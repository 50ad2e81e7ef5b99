import pg from 'pg'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { migrations } from '../../src/store/postgres/migrations.ts'
import { openPostgresStore } from '../../src/store/postgres/open.ts'
import type { PostgresStore } from '../../src/store/postgres/types.ts'
import type { ResourceRow } from '../../src/store/types.ts'
import { adminQuery, freshSchemaUrl, type FreshSchema } from '../helpers/postgres.ts'
import { always, createOp, newResource, transitionOp } from '../helpers/store-ops.ts'

// PostgreSQL only: several instances on one schema, as a load balancer would run them.
const test = suite('postgres store: instances sharing one schema')
let schema: FreshSchema
let a: PostgresStore
let b: PostgresStore
test.before(async () => {
  schema = await freshSchemaUrl()
  a = await openPostgresStore({ url: schema.url })
  b = await openPostgresStore({ url: schema.url })
})
test.after(async () => {
  await a.close()
  await b.close()
  await schema.drop()
})

test('a write at one instance is read at the other', async () => {
  await a.create(createOp(newResource('shared-1')))
  const seen = (await b.get('shared-1')) as ResourceRow
  assert.is(seen.version, 1)
  const moved = await b.transition(transitionOp('shared-1', always, { seen }))
  assert.is(moved.kind, 'moved')
  assert.equal(await a.get('shared-1'), moved.kind === 'moved' ? moved.row : undefined)
  assert.equal((await a.history('shared-1')).map((h) => h.action), ['create', 'bump'])
})

test('a revocation at one instance has reached the other by the time it resolves', async () => {
  assert.ok(a.listening() && b.listening())
  await a.addToken('h-1', { user_id: 'u', name: 'U', tenant: 'north', roles: [] }, 1)
  const before = b.tokenGeneration?.()
  assert.is(b.tokenGeneration?.(), before, 'a listening instance keeps its generation while nothing is revoked')
  assert.is(await a.revokeToken('h-1', 2), true)
  // PostgreSQL sends a listener what was signalled to it before it answers its next query.
  await b.syncTokenGeneration()
  assert.is.not(b.tokenGeneration?.(), before)
  assert.is((await b.tokenByHash('h-1'))?.revoked, true)
})

test('a revocation made without listening (the token command) is heard by the servers', async () => {
  const tool = await openPostgresStore({ url: schema.url, listen: false })
  try {
    assert.is(tool.tokenGeneration, undefined)
    assert.is(tool.listening(), false)
    await a.addToken('h-2', { user_id: 'u', name: 'U', tenant: 'north', roles: [] }, 1)
    const before = b.tokenGeneration?.()
    assert.is(await tool.revokeToken('h-2', 2), true)
    await b.syncTokenGeneration()
    assert.is.not(b.tokenGeneration?.(), before)
  } finally {
    await tool.close()
  }
})

test('revoking a token that is not there, or revoked already, signals nothing', async () => {
  const before = b.tokenGeneration?.()
  assert.is(await a.revokeToken('h-1', 3), false)
  assert.is(await a.revokeToken('h-none', 3), false)
  await b.syncTokenGeneration()
  assert.is(b.tokenGeneration?.(), before)
})

test.run()

const opening = suite('postgres store: opening')

opening('instances opening together on a new schema migrate it once', async () => {
  const fresh = await freshSchemaUrl()
  const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore({ url: fresh.url, listen: false })))
  const admin = new pg.Client({ connectionString: fresh.url })
  await admin.connect()
  try {
    const { rows } = await admin.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    assert.equal(rows.map((r) => r.version), migrations.map((m) => m.version))
  } finally {
    await admin.end()
    await Promise.all(stores.map((s) => s.close()))
    await fresh.drop()
  }
})

opening('bigint columns come back as numbers, without changing pg for anyone else', async () => {
  const fresh = await freshSchemaUrl()
  const store = await openPostgresStore({ url: fresh.url, listen: false })
  try {
    await store.create(createOp(newResource('n-1', { at: 2 ** 40 })))
    const row = (await store.get('n-1')) as ResourceRow
    assert.is(typeof row.seq, 'number')
    assert.is(row.created_at, 2 ** 40)
    assert.is((await store.history('n-1'))[0]?.at, 2 ** 40)
    assert.is(await store.pruneIdempotency(0), 0)
    // The driver's shared parser still hands int8 over as a string, as a host application expects.
    assert.is(pg.types.getTypeParser(20, 'text')('5'), '5')
  } finally {
    await store.close()
    await fresh.drop()
  }
})

opening('a schema that does not exist is refused with a clear message', async () => {
  const fresh = await freshSchemaUrl()
  const url = new URL(fresh.url)
  url.searchParams.set('options', '-c search_path=no_such_schema')
  try {
    await openPostgresStore({ url: url.toString(), listen: false })
    assert.unreachable('opened')
  } catch (error) {
    assert.match((error as Error).message, /no schema to create tables in/)
  } finally {
    await fresh.drop()
  }
})

opening('a schema with a name too long for a channel of its own still signals revocations, on a channel of its own', async () => {
  const fresh = await freshSchemaUrl()
  const long = `${fresh.schema}_${'x'.repeat(63 - fresh.schema.length - 1)}`
  await adminQuery(`CREATE SCHEMA ${long}`)
  const url = new URL(fresh.url)
  url.searchParams.set('options', `-c search_path=${long}`)
  const server = await openPostgresStore({ url: url.toString() })
  const tool = await openPostgresStore({ url: url.toString(), listen: false })
  const neighbour = await openPostgresStore({ url: fresh.url })
  try {
    assert.is(server.schema, long)
    assert.ok(server.listening())
    await tool.addToken('h', { user_id: 'u', name: 'U', tenant: 'north', roles: [] }, 1)
    const [before, beside] = [server.tokenGeneration?.(), neighbour.tokenGeneration?.()]
    assert.is(await tool.revokeToken('h', 2), true)
    await Promise.all([server.syncTokenGeneration(), neighbour.syncTokenGeneration()])
    assert.is.not(server.tokenGeneration?.(), before)
    assert.is(neighbour.tokenGeneration?.(), beside, 'another schema hears nothing')
  } finally {
    await Promise.all([server.close(), tool.close(), neighbour.close()])
    await adminQuery(`DROP SCHEMA ${long} CASCADE`)
    await fresh.drop()
  }
})

opening('a database whose transactions default to SERIALIZABLE loses no update either', async () => {
  const fresh = await freshSchemaUrl()
  const url = new URL(fresh.url)
  url.searchParams.set('options', `${url.searchParams.get('options') ?? ''} -c default_transaction_isolation=serializable`)
  const store = await openPostgresStore({ url: url.toString(), listen: false })
  try {
    await store.create(createOp(newResource('strict')))
    const seen = (await store.get('strict')) as ResourceRow
    const results = await Promise.all(Array.from({ length: 30 }, () => store.transition(transitionOp('strict', always, { seen }))))
    assert.ok(results.every((r) => r.kind === 'moved'))
    assert.is((await store.get('strict'))?.version, 31)
  } finally {
    await store.close()
    await fresh.drop()
  }
})

opening.run()
