import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { authenticateToken, hashToken, issueToken, tokenResolver, type Authentication } from '../../src/auth/bearer.ts'
import { openSqliteStore } from '../../src/index.ts'
import type { Store } from '../../src/store/types.ts'

// Remembered principals must never outlive a revocation, wherever it was made.
const test = suite('token resolver')
let dir: string
test.before(() => { dir = mkdtempSync(join(tmpdir(), 'affordance-tokens-')) })
test.after(() => rmSync(dir, { recursive: true, force: true }))

const user = (id: string) => ({ id, name: id, tenant: 'north', roles: ['admin'] })

/** A store on a fresh file whose token lookups are counted. */
function countedStore(name: string): { store: Store; file: string; lookups: () => number } {
  const file = join(dir, `${name}.db`)
  const store = openSqliteStore({ filename: file, checkpointInterval: 0 })
  let lookups = 0
  const tokenByHash = store.tokenByHash.bind(store)
  store.tokenByHash = (hash) => {
    lookups++
    return tokenByHash(hash)
  }
  return { store, file, lookups: () => lookups }
}

const kindOf = (a: Authentication): string => a.kind

test('a valid token is looked up once, then remembered', async () => {
  const { store, lookups } = countedStore('remembered')
  const token = await issueToken(store, user('ann'), 0)
  const resolve = tokenResolver(store)
  const first = await resolve(token)
  assert.is(first.kind, 'principal')
  assert.is(first.kind === 'principal' && first.principal.id, 'ann')
  assert.is(await resolve(token), first)
  assert.is(lookups(), 1)
  store.close()
})

test('a revocation in this process takes effect on the next lookup', async () => {
  const { store } = countedStore('revoked-here')
  const token = await issueToken(store, user('bob'), 0)
  const resolve = tokenResolver(store)
  assert.is(kindOf(await resolve(token)), 'principal')
  store.revokeToken(hashToken(token), 1)
  assert.is(kindOf(await resolve(token)), 'invalid')
  store.close()
})

test('a revocation committed by another connection takes effect on the next lookup', async () => {
  const { store, file } = countedStore('revoked-elsewhere')
  const token = await issueToken(store, user('cid'), 0)
  const resolve = tokenResolver(store)
  assert.is(kindOf(await resolve(token)), 'principal')
  const other = new Database(file)
  other.prepare('UPDATE tokens SET revoked_at = 1 WHERE hash = ?').run(hashToken(token))
  other.close()
  const after = await resolve(token)
  assert.is(after.kind === 'invalid' && after.reason, 'The bearer token has been revoked.')
  store.close()
})

test('unknown tokens are not remembered: one created elsewhere works at once', async () => {
  const { store, file, lookups } = countedStore('created-elsewhere')
  const resolve = tokenResolver(store)
  const token = 'aff_made-by-another-process'
  assert.is(kindOf(await resolve(token)), 'invalid')
  assert.is(kindOf(await resolve(token)), 'invalid')
  assert.is(lookups(), 2)
  const other = new Database(file)
  other.prepare('INSERT INTO tokens (hash, user_id, name, tenant, roles, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(hashToken(token), 'dee', 'Dee', 'north', '["admin"]', 0)
  other.close()
  assert.is(kindOf(await resolve(token)), 'principal')
  store.close()
})

test('at most `capacity` tokens are remembered', async () => {
  const { store, lookups } = countedStore('capacity')
  const tokens = await Promise.all(['a', 'b', 'c'].map((id) => issueToken(store, user(id), 0)))
  const resolve = tokenResolver(store, 2)
  for (const t of tokens) assert.is(kindOf(await resolve(t)), 'principal')
  assert.is(lookups(), 3)
  // The third token emptied a full cache: the first is looked up again, the third is not.
  await resolve(tokens[2] as string)
  assert.is(lookups(), 3)
  await resolve(tokens[0] as string)
  assert.is(lookups(), 4)
  store.close()
})

test('issuing a token keeps every other remembered principal', async () => {
  const { store, lookups } = countedStore('issued-meanwhile')
  const token = await issueToken(store, user('fay'), 0)
  const resolve = tokenResolver(store)
  assert.is(kindOf(await resolve(token)), 'principal')
  await issueToken(store, user('gus'), 0)
  assert.is(kindOf(await resolve(token)), 'principal')
  assert.is(lookups(), 1)
  store.close()
})

test('a token past its expiry is refused, even once remembered', async () => {
  const { store } = countedStore('expiring')
  let now = 1000
  const token = await issueToken(store, user('hal'), now, { expiresAt: 2000 })
  const resolve = tokenResolver(store, 10, () => now)
  assert.is(kindOf(await resolve(token)), 'principal')
  now = 1999
  assert.is(kindOf(await resolve(token)), 'principal')
  now = 2000
  const after = await resolve(token)
  assert.is(after.kind === 'invalid' && after.reason, 'The bearer token has expired.')
  assert.is(kindOf(await authenticateToken(store, token, 2500)), 'invalid')
  assert.is(kindOf(await authenticateToken(store, token, 1500)), 'principal')
  store.close()
})

test('where revocations arrive by message, a remembered token waits for those sent before it, and an unknown one does not', async () => {
  const { store, file, lookups } = countedStore('told-by-message')
  const token = await issueToken(store, user('ida'), 0)
  // A generation that changes only when the messages on their way are taken in, as a listener's does.
  let generation = 0
  let onTheirWay = 0
  let syncs = 0
  const told: Store = { ...store, tokenGeneration: () => generation, syncTokenGeneration: async () => {
    syncs++
    generation += onTheirWay
    onTheirWay = 0
  } }
  const resolve = tokenResolver(told)
  assert.is(kindOf(await resolve(token)), 'principal')
  assert.is(syncs, 0, 'a lookup in the database needs no wait')
  assert.is(kindOf(await resolve(token)), 'principal')
  assert.is([syncs, lookups()].join(), '1,1', 'remembered, once the messages were taken in')
  const other = new Database(file)
  other.prepare('UPDATE tokens SET revoked_at = 1 WHERE hash = ?').run(hashToken(token))
  other.close()
  onTheirWay = 1
  const after = await resolve(token)
  assert.is(after.kind === 'invalid' && after.reason, 'The bearer token has been revoked.')
  assert.is(syncs, 2)
  store.close()
})

test('a store without token generations is asked every time', async () => {
  const { store, lookups } = countedStore('no-generations')
  const token = await issueToken(store, user('eve'), 0)
  const { tokenGeneration: _ignored, ...plain } = store
  const resolve = tokenResolver(plain as Store)
  await resolve(token)
  await resolve(token)
  assert.is(lookups(), 2)
  store.close()
})

test.run()
