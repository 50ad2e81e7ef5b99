import { randomUUID } from 'node:crypto'
import { claimDemoDatabase, issueToken, type NewResource, type ResourceRow, type Store } from '../index.ts'
import { bookmark } from './bookmark.ts'
import { visit } from './visit.ts'
import { demoUsers, type DemoUser } from './people.ts'

export { demoUsers, type DemoUser } from './people.ts'

/**
 * Makes a new, empty database a demo one and fills it with demo users (returning their
 * tokens), bookmarks and visits; leaves any other database alone and returns undefined.
 */
export async function seedDemo(store: Store, now = Date.now()): Promise<{ user: DemoUser; token: string }[] | undefined> {
  if (!(await claimDemoDatabase(store))) return undefined
  const tokens: { user: DemoUser; token: string }[] = []
  for (const user of demoUsers) tokens.push({ user, token: await issueToken(store, user, now) })
  await addDemoData(store, now)
  return tokens
}

const created = { answer: (row: ResourceRow) => ({ value: row }) }

/** Creates a resource and, when given, moves it on by one action: as its owner would through the API. */
async function add(store: Store, row: NewResource, then?: { action: string; to: string; input: Record<string, unknown> }): Promise<void> {
  const made = await store.create({ row, ...created })
  if (then === undefined || made.kind !== 'created') return
  await store.transition({
    id: row.id,
    decide: (fresh: ResourceRow) => ({ ok: true, change: { action: then.action, to: then.to, data: { ...fresh.data, ...then.input }, input: then.input, actor: row.actor, at: row.at } }),
    answer: () => ({ value: undefined }),
  })
}

/** Adds the demo bookmarks and visits to a store, whatever it holds already (for tests that bring their own users). */
export async function addDemoData(store: Store, now = Date.now()): Promise<void> {
  // One after another, so that the lists show them in the same order on every store.
  const adding: [NewResource, Parameters<typeof add>[2]][] = []
  for (const tenant of ['north', 'south']) {
    const reader = `${tenant}-reader`
    bookmark.examples?.forEach((data, i) => {
      const row: NewResource = { id: randomUUID(), type: 'bookmark', tenant, owner: reader, state: 'queued', data, actor: reader, at: now }
      adding.push([row, i === 1 ? { action: 'read', to: 'read', input: {} } : undefined])
    })
    visit.examples?.forEach((data, i) => {
      const dispatcher = `${tenant}-dispatcher`
      const row: NewResource = { id: randomUUID(), type: 'visit', tenant, owner: dispatcher, state: 'scheduled', data, actor: dispatcher, at: now }
      adding.push([row, i >= 1 ? { action: 'assign', to: 'assigned', input: { clinician_id: `${tenant}-clinician-${i}` } } : undefined])
    })
  }
  for (const [row, then] of adding) await add(store, row, then)
}
