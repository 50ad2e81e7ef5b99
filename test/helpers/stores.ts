import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openPostgresStore } from '../../src/store/postgres/open.ts'
import { openSqliteStore } from '../../src/store/sqlite-store.ts'
import type { Store } from '../../src/store/types.ts'
import { freshSchemaUrl } from './postgres.ts'

/** Every store the port has: suites that run on each cover both. */
export const storeKinds = ['sqlite', 'postgres'] as const

export type StoreKind = (typeof storeKinds)[number]

/** A store on an empty database of its own; `close` closes it and removes the database. */
export interface TestStore {
  readonly store: Store
  close(): Promise<void>
}

/** Opens an empty store of `kind`: SQLite on a temporary file, PostgreSQL on a fresh schema. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'affordance-store-'))
    const store = openSqliteStore({ filename: join(dir, 'test.db') })
    return {
      store,
      close: async () => {
        await store.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const schema = await freshSchemaUrl()
  const store = await openPostgresStore({ url: schema.url })
  return {
    store,
    close: async () => {
      await store.close()
      await schema.drop()
    },
  }
}
