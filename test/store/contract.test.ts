import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { ResourceRow } from '../../src/store/types.ts'
import { createOp, newResource, record, transitionOp, always } from '../helpers/store-ops.ts'
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.ts'

// The store port, read side: every store answers the same, whatever it runs on.
for (const kind of storeKinds) {
  const test = suite(`store contract (${kind}): reads, tokens, settings`)
  let t: TestStore
  test.before(async () => { t = await openTestStore(kind) })
  test.after(async () => { await t.close() })

  const created = async (id: string, over = {}): Promise<ResourceRow> => {
    const result = await t.store.create(createOp(newResource(id, over)))
    assert.is(result.kind, 'created')
    return (await t.store.get(id)) as ResourceRow
  }

  test('a new database is empty; a token makes it used', async () => {
    assert.is(await t.store.isEmpty(), true)
    await t.store.addToken('h-empty', { user_id: 'u', name: 'U', tenant: 'north', roles: [] }, 1)
    assert.is(await t.store.isEmpty(), false)
  })

  test('a row comes back as stored: numbers as numbers, data with its keys in order', async () => {
    const row = await created('r-1', { owner: null })
    assert.ok(Number.isSafeInteger(row.seq) && row.seq > 0)
    assert.equal(row, {
      seq: row.seq, id: 'r-1', type: 'thing', tenant: 'north', owner: null, state: 'open',
      data: { title: 'T', count: 0, a: [1, { z: true, b: null }] }, version: 1, created_at: 1_700_000_000_000, updated_at: 1_700_000_000_000,
    })
    assert.equal(Object.keys(row.data), ['title', 'count', 'a'])
    assert.equal(Object.keys((row.data['a'] as unknown[])[1] as object), ['z', 'b'])
    assert.is(await t.store.get('r-none'), undefined)
  })

  test('lists page by seq within a type and tenant, and within an owner', async () => {
    for (let i = 0; i < 5; i++) await created(`p-${i}`, { type: 'page', owner: i % 2 === 0 ? 'alice' : 'bob' })
    await created('p-other-tenant', { type: 'page', tenant: 'south' })
    await created('p-other-type', { type: 'other' })
    const ids = (rows: readonly ResourceRow[]): string[] => rows.map((r) => r.id)
    const first = await t.store.list({ type: 'page', tenant: 'north', after: 0, limit: 2 })
    assert.equal(ids(first), ['p-0', 'p-1'])
    const second = await t.store.list({ type: 'page', tenant: 'north', after: (first[1] as ResourceRow).seq, limit: 2 })
    assert.equal(ids(second), ['p-2', 'p-3'])
    const last = await t.store.list({ type: 'page', tenant: 'north', after: (second[1] as ResourceRow).seq, limit: 2 })
    assert.equal(ids(last), ['p-4'])
    assert.equal(ids(await t.store.list({ type: 'page', tenant: 'north', owner: 'alice', after: 0, limit: 10 })), ['p-0', 'p-2', 'p-4'])
    const bob = await t.store.list({ type: 'page', tenant: 'north', owner: 'bob', after: 0, limit: 1 })
    assert.equal(ids(bob), ['p-1'])
    assert.equal(ids(await t.store.list({ type: 'page', tenant: 'north', owner: 'bob', after: (bob[0] as ResourceRow).seq, limit: 5 })), ['p-3'])
    assert.equal(ids(await t.store.list({ type: 'page', tenant: 'south', after: 0, limit: 10 })), ['p-other-tenant'])
    assert.equal(await t.store.list({ type: 'page', tenant: 'east', after: 0, limit: 10 }), [])
  })

  test('history: the whole log, the entries after a seq, the latest few, oldest first', async () => {
    await created('h-1')
    for (let i = 0; i < 3; i++) assert.is((await t.store.transition(transitionOp('h-1', always))).kind, 'moved')
    const whole = await t.store.history('h-1')
    assert.equal(whole[0], { seq: 1, action: 'create', from: null, to: 'open', input: { title: 'T', count: 0, a: [1, { z: true, b: null }] }, actor: 'alice', at: 1_700_000_000_000 })
    assert.equal(whole[1], { seq: 2, action: 'bump', from: 'open', to: 'open', input: { by: 1 }, actor: 'bob', at: 1_700_000_000_001 })
    assert.equal(whole.map((h) => h.seq), [1, 2, 3, 4])
    assert.equal((await t.store.history('h-1', { after: 1, limit: 2 })).map((h) => h.seq), [2, 3])
    assert.equal((await t.store.history('h-1', { after: 3, limit: 5 })).map((h) => h.seq), [4])
    assert.equal((await t.store.history('h-1', { latest: 2 })).map((h) => h.seq), [3, 4])
    assert.equal(await t.store.history('h-none'), [])
  })

  test('tokens: added, looked up, revoked once, listed oldest first', async () => {
    const before = t.store.tokenGeneration?.()
    await t.store.addToken('h-b', { user_id: 'bob', name: 'Bob', tenant: 'north', roles: ['reader', 'admin'] }, 20)
    await t.store.addToken('h-a', { user_id: 'ann', name: 'Ann', tenant: 'south', roles: [], expires_at: 9_000_000_000_000, session: true }, 20)
    assert.equal(await t.store.tokenByHash('h-b'), { user_id: 'bob', name: 'Bob', tenant: 'north', roles: ['reader', 'admin'], revoked: false, expires_at: null, session: false })
    assert.equal(await t.store.tokenByHash('h-a'), { user_id: 'ann', name: 'Ann', tenant: 'south', roles: [], revoked: false, expires_at: 9_000_000_000_000, session: true })
    assert.is(await t.store.tokenByHash('h-none'), undefined)
    assert.is(await t.store.revokeToken('h-b', 30), true)
    assert.is((await t.store.tokenByHash('h-b'))?.revoked, true)
    assert.is(await t.store.revokeToken('h-b', 31), false)
    assert.is(await t.store.revokeToken('h-none', 31), false)
    if (before !== undefined) assert.is.not(t.store.tokenGeneration?.(), before)
    const listed = (await t.store.listTokens?.()) ?? []
    assert.equal(listed.map((l) => [l.hash, l.created_at, l.revoked]), [['h-empty', 1, false], ['h-a', 20, false], ['h-b', 20, true]])
    assert.equal(listed[1], { user_id: 'ann', name: 'Ann', tenant: 'south', roles: [], revoked: false, expires_at: 9_000_000_000_000, session: true, hash: 'h-a', created_at: 20 })
  })

  test('settings: unset reads undefined, metaOnce keeps the first, setMeta replaces', async () => {
    assert.is(await t.store.meta('k'), undefined)
    assert.is(await t.store.metaOnce('k', 'first'), 'first')
    assert.is(await t.store.metaOnce('k', 'second'), 'first')
    await t.store.setMeta('k', 'third')
    assert.is(await t.store.meta('k'), 'third')
  })

  test('concurrent metaOnce calls all get the one value that won', async () => {
    const values = await Promise.all(Array.from({ length: 20 }, (_, i) => t.store.metaOnce('race', `v${i}`)))
    const kept = await t.store.meta('race')
    assert.ok(kept !== undefined && /^v\d+$/.test(kept))
    assert.equal(new Set(values), new Set([kept]))
  })

  test('pruneIdempotency drops the records older than a time, and only those', async () => {
    await t.store.create(createOp(newResource('k-old', { at: 1000 }), { principal: 'alice', key: 'old' }, record('old')))
    await t.store.create(createOp(newResource('k-new', { at: 3000 }), { principal: 'alice', key: 'new' }, record('new')))
    assert.is(await t.store.pruneIdempotency(2000), 1)
    assert.is(await t.store.recall('alice', 'old'), undefined)
    assert.equal(await t.store.recall('alice', 'new'), record('new'))
    assert.is(await t.store.pruneIdempotency(2000), 0)
  })

  test.run()
}
