import { randomUUID } from 'node:crypto'
import type { Store } from './types.ts'

// The meta key a demo database carries; its value names the claim that made it one.
const DEMO_KEY = 'demo'

/** Whether this database was made for a demo (seeded when new), so demo sign-in may be offered on it. */
export const isDemoDatabase = (store: Store): boolean => store.meta(DEMO_KEY) !== undefined

/**
 * Makes a new, empty database (no resources, no tokens) a demo one; false when it is not
 * empty, or is a demo already. Of several processes starting on one new file, one wins.
 */
export function claimDemoDatabase(store: Store): boolean {
  if (!store.isEmpty() || isDemoDatabase(store)) return false
  const claim = randomUUID()
  return store.metaOnce(DEMO_KEY, claim) === claim
}
