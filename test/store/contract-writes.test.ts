import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { changedRow, type ResourceRow, type TransitionResult } from '../../src/store/types.ts'
import { always, createOp, increment, newResource, onlyFrom, record, transitionOp } from '../helpers/store-ops.ts'
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.ts'

// The store port, write side: creates and transitions decided in the store's own transaction.
for (const kind of storeKinds) {
  const test = suite(`store contract (${kind}): creates and transitions`)
  let t: TestStore
  test.before(async () => { t = await openTestStore(kind) })
  test.after(async () => { await t.close() })

  const make = async (id: string): Promise<ResourceRow> => {
    assert.is((await t.store.create(createOp(newResource(id)))).kind, 'created')
    return (await t.store.get(id)) as ResourceRow
  }
  const moved = <F>(result: TransitionResult<F, ResourceRow>): Extract<TransitionResult<F, ResourceRow>, { kind: 'moved' }> => {
    if (result.kind !== 'moved') throw new Error(`expected moved, got ${JSON.stringify(result)}`)
    return result
  }

  test('a create answers from the row it wrote and keeps its key record', async () => {
    const key = { principal: 'alice', key: 'k-1' }
    const result = await t.store.create(createOp(newResource('c-1'), key, record('c-1')))
    if (result.kind !== 'created') throw new Error(result.kind)
    const stored = (await t.store.get('c-1')) as ResourceRow
    assert.equal({ ...result.value, seq: stored.seq }, stored)
    assert.equal(await t.store.recall('alice', 'k-1'), record('c-1'))
    assert.equal(await t.store.history('c-1'), [{ seq: 1, action: 'create', from: null, to: 'open', input: newResource('c-1').data, actor: 'alice', at: 1_700_000_000_000 }])
  })

  test('a NUL character survives in data, input and a stored response; an id holding one names nothing', async () => {
    const nul = 'a\u0000b'
    const key = { principal: 'alice', key: 'k-nul' }
    const made = await t.store.create(createOp({ ...newResource('c-nul'), data: { title: nul } }, key, { ...record('c-nul'), body: `<p>${nul}</p>` }))
    assert.is(made.kind, 'created')
    assert.is(((await t.store.get('c-nul')) as ResourceRow).data.title, nul)
    assert.is((await t.store.recall('alice', 'k-nul'))?.body, `<p>${nul}</p>`)
    assert.is(await t.store.get(`c-nul${nul}`), undefined)
    assert.equal(await t.store.history(`c-nul${nul}`), [])
  })

  test('a second create with the same key is key-taken, and writes nothing', async () => {
    const result = await t.store.create(createOp(newResource('c-2'), { principal: 'alice', key: 'k-1' }, record('c-2')))
    assert.equal(result, { kind: 'key-taken' })
    assert.is(await t.store.get('c-2'), undefined)
    assert.equal(await t.store.history('c-2'), [])
    assert.equal(await t.store.recall('alice', 'k-1'), record('c-1'))
    // The same key of another principal is another key.
    assert.is((await t.store.create(createOp(newResource('c-3'), { principal: 'bob', key: 'k-1' }, record('c-3')))).kind, 'created')
  })

  test('a transition moves: the row written is changedRow of the row it came from', async () => {
    const from = await make('t-1')
    const result = moved(await t.store.transition(transitionOp('t-1', always, { seen: from, key: { principal: 'alice', key: 'k-t1' }, kept: record('t-1') })))
    assert.equal(result.from, from)
    assert.equal(result.row, changedRow(from, increment(from)))
    assert.equal(result.value, result.row)
    assert.equal(await t.store.get('t-1'), result.row)
    assert.equal(await t.store.recall('alice', 'k-t1'), record('t-1'))
    const last = (await t.store.history('t-1', { latest: 1 }))[0]
    assert.equal(last, { seq: 2, action: 'bump', from: 'open', to: 'open', input: { by: 1 }, actor: 'bob', at: from.updated_at + 1 })
  })

  test('a refused transition hands back the fresh row and writes nothing', async () => {
    const fresh = await make('t-2')
    const result = await t.store.transition(transitionOp('t-2', onlyFrom(7), { seen: fresh }))
    assert.equal(result, { kind: 'refused', refusal: 1, fresh })
    assert.equal(await t.store.get('t-2'), fresh)
    assert.is((await t.store.history('t-2')).length, 1)
  })

  test('a transition of a row that is not there is gone', async () => {
    assert.equal(await t.store.transition(transitionOp('t-none', always)), { kind: 'gone' })
    const seen = await make('t-3')
    assert.equal(await t.store.transition(transitionOp('t-none', always, { seen: { ...seen, id: 't-none' } })), { kind: 'gone' })
  })

  test('a transition under a key already recorded is key-taken, and writes nothing', async () => {
    const seen = await make('t-4')
    for (const options of [{}, { seen }]) {
      const result = await t.store.transition(transitionOp('t-4', always, { ...options, key: { principal: 'alice', key: 'k-1' }, kept: record('t-4') }))
      assert.equal(result, { kind: 'key-taken' })
    }
    assert.equal(await t.store.get('t-4'), seen)
    assert.equal(await t.store.recall('alice', 'k-1'), record('c-1'))
  })

  test('a stale seen row is decided again on the fresh one', async () => {
    const stale = await make('t-5')
    moved(await t.store.transition(transitionOp('t-5', always)))
    const decided: number[] = []
    const result = moved(await t.store.transition(transitionOp('t-5', (fresh) => { decided.push(fresh.version); return always(fresh) }, { seen: stale })))
    assert.is(decided.at(-1), 2)
    assert.is(result.from.version, 2)
    assert.is(result.row.version, 3)
    assert.is(result.row.data['count'], 2)
    assert.equal(await t.store.get('t-5'), result.row)
    // A stale seen row the decision refuses is decided again too, and may move.
    const again = moved(await t.store.transition(transitionOp('t-5', onlyFrom(3), { seen: stale })))
    assert.is(again.row.version, 4)
  })

  test('50 concurrent transitions decided on one version: exactly one moves', async () => {
    const seen = await make('race-1')
    const results = await Promise.all(Array.from({ length: 50 }, () => t.store.transition(transitionOp('race-1', onlyFrom(1), { seen }))))
    assert.is(results.filter((r) => r.kind === 'moved').length, 1)
    assert.equal(new Set(results.filter((r) => r.kind !== 'moved').map((r) => r.kind === 'refused' && r.refusal)), new Set([2]))
    assert.is((await t.store.get('race-1'))?.version, 2)
    assert.is((await t.store.history('race-1')).length, 2)
  })

  test('50 concurrent increments from one seen version: none is lost', async () => {
    const seen = await make('race-2')
    const results = await Promise.all(Array.from({ length: 50 }, () => t.store.transition(transitionOp('race-2', always, { seen }))))
    assert.ok(results.every((r) => r.kind === 'moved'))
    const row = (await t.store.get('race-2')) as ResourceRow
    assert.is(row.version, 51)
    assert.is(row.data['count'], 50)
    assert.equal((await t.store.history('race-2')).map((h) => h.seq), Array.from({ length: 51 }, (_, i) => i + 1))
  })

  test('concurrent transitions under one key: one moves, the others are key-taken', async () => {
    const seen = await make('race-3')
    const key = { principal: 'carol', key: 'once' }
    const results = await Promise.all(Array.from({ length: 10 }, () => t.store.transition(transitionOp('race-3', always, { seen, key, kept: record('race-3') }))))
    assert.equal(results.map((r) => r.kind).sort(), [...Array<string>(9).fill('key-taken'), 'moved'])
    assert.is((await t.store.get('race-3'))?.version, 2)
  })

  test('racing creates under one key make one row: one is created, the others are key-taken', async () => {
    const key = { principal: 'dave', key: 'one-create' }
    const ids = Array.from({ length: 20 }, (_, i) => `race-create-${i}`)
    const results = await Promise.all(ids.map((id) => t.store.create(createOp(newResource(id), key, record(id)))))
    assert.equal(results.map((r) => r.kind).sort(), ['created', ...Array<string>(19).fill('key-taken')])
    const made = (await Promise.all(ids.map((id) => t.store.get(id)))).filter((row) => row !== undefined)
    assert.is(made.length, 1)
    assert.is((await t.store.recall('dave', 'one-create'))?.body, made[0]?.id)
  })

  test.run()
}
