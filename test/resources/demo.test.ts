import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { isDemoDatabase, issueToken, openSqliteStore, type Store } from '../../src/index.ts'
import { demoUsers, seedDemo } from '../../src/resources/index.ts'
import { startServer } from '../helpers/server.ts'

// Demo data and demo sign-in only ever on a database that was new and empty, and says it is a demo.
const test = suite('demo database')
let dir: string
test.before(() => { dir = mkdtempSync(join(tmpdir(), 'affordance-demo-')) })
test.after(() => rmSync(dir, { recursive: true, force: true }))

const open = (name: string): Store => openSqliteStore({ filename: join(dir, `${name}.db`), checkpointInterval: 0, groupCommit: false })
const resources = async (store: Store): Promise<number> => (await store.list({ type: 'bookmark', tenant: 'north', after: 0, limit: 100 })).length

test('a new, empty database is seeded and remembers that it is a demo', async () => {
  const store = open('new')
  assert.not.ok(await isDemoDatabase(store))
  const tokens = await seedDemo(store)
  assert.is(tokens?.length, demoUsers.length)
  assert.ok((await resources(store)) > 0)
  assert.ok(await isDemoDatabase(store))
  store.close()
})

test('a database holding a real token but no resources is not seeded, nor made a demo', async () => {
  const store = open('with-token')
  await issueToken(store, { id: 'ops', name: 'Ops', tenant: 'north', roles: ['admin'] }, Date.now())
  assert.is(await seedDemo(store), undefined)
  assert.is(await resources(store), 0)
  assert.is((await store.listTokens?.())?.length, 1, 'no demo tokens were added')
  assert.not.ok(await isDemoDatabase(store))
  store.close()
})

test('a seeded database is not seeded twice', async () => {
  const store = open('twice')
  await seedDemo(store)
  const before = await resources(store)
  assert.is(await seedDemo(store), undefined)
  assert.is(await resources(store), before)
  store.close()
})

test('demoUsers on a database that is not a demo: no picker, and picking a user is refused', async () => {
  const server = await startServer({ demoUsers }, {}, { demo: false })
  try {
    const page = await server.request('GET', '/session', { headers: { accept: 'text/html' } })
    assert.not.match(page.text, /Pick a demo user/)
    const r = await server.request('POST', '/session', { body: 'user=north-admin', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', origin: server.url } })
    assert.is(r.status, 422)
    assert.is(r.headers.get('set-cookie'), null)
    assert.is((await server.app.store.listTokens?.())?.length, demoUsers.length, 'no token was issued')
  } finally {
    await server.close()
  }
})

test('demoUsers on a demo database: the picker is offered', async () => {
  const server = await startServer({ demoUsers })
  try {
    const page = await server.request('GET', '/session', { headers: { accept: 'text/html' } })
    assert.match(page.text, /Pick a demo user/)
  } finally {
    await server.close()
  }
})

test.run()
