import Database from 'better-sqlite3'
import pg from 'pg'
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

/** The store `STORE` selects for suites that run on one store (the HTTP suites, the proofs): SQLite unless `STORE=postgres`. */
export const selectedStore: StoreKind = ((): StoreKind => {
  const named = process.env.STORE === undefined || process.env.STORE === '' ? 'sqlite' : process.env.STORE
  if ((storeKinds as readonly string[]).includes(named)) return named as StoreKind
  throw new Error(`STORE=${named} names no store; use one of ${storeKinds.join(', ')}`)
})()

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
        rmSync(dir, { recursive: true, force: true, maxRetries: 5 })
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

/** A database of the selected kind for one app: where it is (an SQLite file or a PostgreSQL URL), opened or not. */
export interface TestDatabase {
  readonly kind: StoreKind
  /** The SQLite file, or the PostgreSQL URL selecting a fresh schema: what `openStore` (or `--database`) takes. */
  readonly location: string
  /** Removes the database (after the app using it has closed its store). */
  remove(): Promise<void>
}

/** A new, empty database of the selected kind, not yet opened. */
export async function newTestDatabase(kind: StoreKind = selectedStore): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'affordance-test-'))
    return { kind, location: join(dir, 'test.db'), remove: async () => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }) }
  }
  const schema = await freshSchemaUrl()
  return { kind, location: schema.url, remove: () => schema.drop() }
}

/** Runs SQL on a test database with a connection of its own (better-sqlite3 or pg); returns the rows. */
export async function queryDatabase(db: { readonly location: string; readonly kind: StoreKind }, sql: string): Promise<unknown[]> {
  if (db.kind === 'sqlite') {
    const conn = new Database(db.location)
    try {
      const statement = conn.prepare(sql)
      return statement.reader ? statement.all() : (statement.run(), [])
    } finally {
      conn.close()
    }
  }
  const client = new pg.Client({ connectionString: db.location })
  await client.connect()
  try {
    return (await client.query(sql)).rows
  } finally {
    await client.end()
  }
}
