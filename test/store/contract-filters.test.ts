import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import type { Filter, ResourceRow, Sort, Store } from '../../src/store/types.ts'
import { meets } from '../helpers/filter-model.ts'
import { createOp, newResource } from '../helpers/store-ops.ts'
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.ts'

// Filtered lists: each store answers what the model does, page after page, within the tenant and owner.
const states = ['open', 'held', 'done']
const people = ['ann', 'bo', 'cy']
// The same instants written with different offsets: only a store that compares times (not texts) orders them right.
const times = ['2026-12-01T09:00:00Z', '2026-12-01T10:30:00+02:00', '2026-12-01T08:00:00.500-01:00', '2026-11-30T23:59:59.999Z', '2026-12-02T00:00:00+00:00']
const bounds = ['2026-12-01T08:00:00.000Z', '2026-12-01T09:00:00.000Z', '2026-12-01T09:00:00.500Z', '2026-12-02T00:00:00.000Z']

const filter: fc.Arbitrary<Filter> = fc.oneof(
  fc.subarray(states, { minLength: 1 }).map((values): Filter => ({ kind: 'state', values })),
  fc.subarray(people, { minLength: 1 }).map((values): Filter => ({ kind: 'equals', field: 'who', values })),
  fc.record({ after: fc.option(fc.integer({ min: -3, max: 12 }), { nil: undefined }), before: fc.option(fc.integer({ min: -3, max: 12 }), { nil: undefined }) })
    .map((r): Filter => ({ kind: 'range', field: 'count', as: 'number', ...(r.after !== undefined && { after: r.after }), ...(r.before !== undefined && { before: r.before }) })),
  fc.record({ after: fc.option(fc.constantFrom(...bounds), { nil: undefined }), before: fc.option(fc.constantFrom(...bounds), { nil: undefined }) })
    .map((r): Filter => ({ kind: 'range', field: 'when', as: 'date-time', ...(r.after !== undefined && { after: r.after }), ...(r.before !== undefined && { before: r.before }) })),
)

/** Every row of a filtered list, read in pages of `size`. */
async function allPages(store: Store, query: { tenant: string; owner?: string; filters: readonly Filter[]; sort?: Sort }, size: number): Promise<string[]> {
  const ids: string[] = []
  let after = 0
  for (;;) {
    const rows: ResourceRow[] = await store.list({ type: 'f', ...query, after, limit: size })
    ids.push(...rows.map((r) => r.id))
    const last = rows[rows.length - 1]
    if (rows.length < size || last === undefined) return ids
    after = last.seq
  }
}

for (const kind of storeKinds) {
  const test = suite(`store contract (${kind}): filtered lists`)
  let t: TestStore
  const rows: { id: string; tenant: string; owner: string; state: string; data: Record<string, unknown> }[] = []
  test.before(async () => {
    t = await openTestStore(kind)
    for (let i = 0; i < 60; i++) {
      // Some rows lack a field: a missing field meets no filter on it.
      // Every row has a rank (a sort needs it), with ties to break by creation.
      const data: Record<string, unknown> = { title: `t${i}`, rank: (i * 5) % 9 }
      if (i % 7 !== 0) data['who'] = people[i % 3]
      if (i % 5 !== 0) data['count'] = (i * 7) % 11 - 1
      if (i % 6 !== 0) data['when'] = times[i % times.length]
      const row = { id: `f-${i}`, tenant: i % 4 === 0 ? 'south' : 'north', owner: people[(i >> 1) % 3] as string, state: states[i % 3] as string, data }
      rows.push(row)
      assert.is((await t.store.create(createOp(newResource(row.id, { type: 'f', ...row })))).kind, 'created')
    }
  })
  test.after(async () => { await t.close() })

  test('each kind of filter, alone and together, paged, within tenant and owner, as the model says', async () => {
    await fc.assert(fc.asyncProperty(fc.array(filter, { maxLength: 3 }), fc.constantFrom('north', 'south'), fc.option(fc.constantFrom(...people), { nil: undefined }), fc.integer({ min: 1, max: 7 }), async (filters, tenant, owner, size) => {
      const expected = rows.filter((r) => r.tenant === tenant && (owner === undefined || r.owner === owner) && meets(r, filters)).map((r) => r.id)
      assert.equal(await allPages(t.store, { tenant, ...(owner !== undefined && { owner }), filters }, size), expected)
    }), { numRuns: 60 })
  })

  test('sorted by a field either way, ties by creation, filtered and paged, as the model says', async () => {
    await fc.assert(fc.asyncProperty(fc.array(filter, { maxLength: 2 }), fc.boolean(), fc.constantFrom('north', 'south'), fc.integer({ min: 1, max: 7 }), async (filters, descending, tenant, size) => {
      const order = (a: (typeof rows)[number], b: (typeof rows)[number]): number => (a.data['rank'] as number) - (b.data['rank'] as number) || rows.indexOf(a) - rows.indexOf(b)
      const sorted = rows.filter((r) => r.tenant === tenant && meets(r, filters)).sort(order)
      const expected = (descending ? sorted.reverse() : sorted).map((r) => r.id)
      assert.equal(await allPages(t.store, { tenant, filters, sort: { field: 'rank', as: 'number', descending } }, size), expected)
    }), { numRuns: 40 })
  })

  test('date-times compare as instants whatever their offsets', async () => {
    const found = await allPages(t.store, { tenant: 'north', filters: [{ kind: 'range', field: 'when', as: 'date-time', after: '2026-12-01T08:00:00.000Z', before: '2026-12-01T09:00:00.500Z' }] }, 100)
    // 10:30+02:00 is 08:30Z and 08:00:00.500-01:00 is 09:00:00.500Z (excluded): the texts alone would order them otherwise.
    assert.ok(found.length > 0)
    for (const id of found) assert.ok(['2026-12-01T09:00:00Z', '2026-12-01T10:30:00+02:00'].includes(rows.find((r) => r.id === id)?.data['when'] as string), id)
  })

  test.run()
}
