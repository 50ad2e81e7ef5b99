import { after } from '../awaitable.ts'
import { recordRoles } from '../auth/policy.ts'
import type { ResourceType } from '../resource.ts'
import type { Awaitable, IndexedField, Store } from '../store/types.ts'
import { storedCursorSealer, type laterCursors } from './features/cursor.ts'

/** The data fields the types' lists may be filtered on (the state has its own index). */
const indexedFields = (types: readonly ResourceType[]): IndexedField[] =>
  types.flatMap((t) => t.search.flatMap((f): IndexedField[] => (f.kind === 'state' ? [] : [{ field: f.name, as: f.kind === 'equals' ? 'text' : f.as }])))

/**
 * What an app asks of its store before its first request: it records the roles its types
 * use, makes the indexes of their filtered lists and reads (or makes) the cursor key. On SQLite it is done before `createApp`
 * returns; on a server database the first requests wait for it, and a failed start
 * (the database down) is tried again by the next request.
 * Returns the gate: undefined once started, else the start-up to wait for.
 */
export function startUp(store: Store, types: readonly ResourceType[], cursors: ReturnType<typeof laterCursors>): () => Promise<void> | undefined {
  let started = false
  let running: Promise<void> | undefined
  const attempt = (): Awaitable<void> => after(recordRoles(store, types), () => after(store.indexFields?.(indexedFields(types)), () => after(storedCursorSealer(store), (sealer) => {
    cursors.set(sealer)
    started = true
  })))
  const begin = (): Promise<void> | undefined => {
    let outcome: Awaitable<void>
    try {
      outcome = attempt()
    } catch (error) {
      return Promise.reject(error)
    }
    if (!(outcome instanceof Promise)) return undefined
    running = outcome.finally(() => {
      running = undefined
    })
    return running
  }
  const first = begin()
  // Nobody may be waiting yet: a failure now is reported to the first request, which tries again.
  first?.catch(() => {})
  return () => (started ? undefined : running ?? begin())
}
