import type { Change, CreateOp, IdempotentRecord, KeyClaim, NewResource, ResourceRow, TransitionOp, Verdict } from '../../src/store/types.ts'

/** A resource to create, with every field set; `over` changes some. */
export const newResource = (id: string, over: Partial<NewResource> = {}): NewResource => ({
  id, type: 'thing', tenant: 'north', owner: 'alice', state: 'open',
  // Keys out of alphabetical order: the stored text must keep them as given.
  data: { title: 'T', count: 0, a: [1, { z: true, b: null }] },
  actor: 'alice', at: 1_700_000_000_000, ...over,
})

/** A stored response to keep under a key. */
export const record = (body: string): IdempotentRecord => ({ fingerprint: `fp-${body}`, status: 201, headers: { location: `/things/${body}` }, body })

/** A create whose answer is the row as the store hands it over, keeping `kept` under `key` when both are given. */
export const createOp = (row: NewResource, key?: KeyClaim, kept?: IdempotentRecord): CreateOp<ResourceRow> => ({
  row, key, answer: (r) => ({ value: r, record: kept }),
})

/** The change to state `to` at `at`, adding one to `data.count`. */
export const increment = (fresh: ResourceRow, to = 'open', at = fresh.updated_at + 1): Change => ({
  action: 'bump', to, data: { ...fresh.data, count: (fresh.data['count'] as number) + 1 }, input: { by: 1 }, actor: 'bob', at,
})

/** A transition decided by `decide`; its answer is the row written, keeping `kept` under `key` when both are given. */
export const transitionOp = <F>(
  id: string,
  decide: (fresh: ResourceRow) => Verdict<F>,
  options: { seen?: ResourceRow; key?: KeyClaim; kept?: IdempotentRecord } = {},
): TransitionOp<F, ResourceRow> => ({
  id, seen: options.seen, key: options.key, decide, answer: (row) => ({ value: row, record: options.kept }),
})

/** Always moves, adding one to the count. */
export const always = (fresh: ResourceRow): Verdict<never> => ({ ok: true, change: increment(fresh) })

/** Moves only from `version`: a refusal names the version found instead. */
export const onlyFrom = (version: number) => (fresh: ResourceRow): Verdict<number> =>
  fresh.version === version ? { ok: true, change: increment(fresh) } : { ok: false, refusal: fresh.version }
