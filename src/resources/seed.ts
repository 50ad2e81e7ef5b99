import { randomUUID } from 'node:crypto'
import { claimDemoDatabase, issueToken, type Store } from '../index.ts'
import { bookmark } from './bookmark.ts'
import { visit } from './visit.ts'
import { demoUsers, type DemoUser } from './people.ts'

export { demoUsers, type DemoUser } from './people.ts'

/**
 * Makes a new, empty database a demo one and fills it with demo users (returning their
 * tokens), bookmarks and visits; leaves any other database alone and returns undefined.
 */
export async function seedDemo(store: Store, now = Date.now()): Promise<{ user: DemoUser; token: string }[] | undefined> {
  if (!claimDemoDatabase(store)) return undefined
  const tokens = demoUsers.map((user) => ({ user, token: issueToken(store, user, now) }))
  await addDemoData(store, now)
  return tokens
}

/** Adds the demo bookmarks and visits to a store, whatever it holds already (for tests that bring their own users). */
export async function addDemoData(store: Store, now = Date.now()): Promise<void> {
  await store.write((tx) => {
    for (const tenant of ['north', 'south']) {
      const reader = `${tenant}-reader`
      bookmark.examples?.forEach((data, i) => {
        const row = tx.insert({ id: randomUUID(), type: 'bookmark', tenant, owner: reader, state: 'queued', data, actor: reader, at: now })
        if (i === 1) tx.transition({ id: row.id, expectedVersion: 1, action: 'read', from: 'queued', to: 'read', data, input: {}, actor: reader, at: now })
      })
      visit.examples?.forEach((data, i) => {
        const dispatcher = `${tenant}-dispatcher`
        const row = tx.insert({ id: randomUUID(), type: 'visit', tenant, owner: dispatcher, state: 'scheduled', data, actor: dispatcher, at: now })
        if (i >= 1) {
          const input = { clinician_id: `${tenant}-clinician-${i}` }
          tx.transition({ id: row.id, expectedVersion: 1, action: 'assign', from: 'scheduled', to: 'assigned', data: { ...data, ...input }, input, actor: dispatcher, at: now })
        }
      })
    }
  })
}
