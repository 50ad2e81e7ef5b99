import { randomUUID } from 'node:crypto'
import { after } from '../awaitable.ts'
import type { Awaitable, Store } from './types.ts'

// The meta key a demo database carries; its value names the claim that made it one.
const DEMO_KEY = 'demo'

/** Whether this database was made for a demo (seeded when new), so demo sign-in may be offered on it. */
export const isDemoDatabase = (store: Store): Awaitable<boolean> => after(store.meta(DEMO_KEY), (value) => value !== undefined)

/**
 * Makes a new, empty database (no resources, no tokens) a demo one; false when it is not
 * empty, or is a demo already. Of several processes starting on one new file, one wins.
 */
export async function claimDemoDatabase(store: Store): Promise<boolean> {
  if (!(await store.isEmpty()) || (await isDemoDatabase(store))) return false
  const claim = randomUUID()
  return (await store.metaOnce(DEMO_KEY, claim)) === claim
}
