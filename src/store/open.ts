import { openPostgresStore } from './postgres/open.ts'
import type { PostgresOptions } from './postgres/types.ts'
import { openSqliteStore, type SqliteOptions } from './sqlite-store.ts'
import type { Store } from './types.ts'

/** Whether a database setting names a PostgreSQL server rather than an SQLite file. */
const isPostgresUrl = (database: string): boolean => /^postgres(ql)?:\/\//i.test(database)

/** What `openStore` passes on: SQLite's options for a file, PostgreSQL's for a URL. */
export interface OpenOptions {
  readonly sqlite?: Omit<SqliteOptions, 'filename'>
  readonly postgres?: Omit<PostgresOptions, 'url'>
}

/**
 * Opens the store a database setting names: a `postgres://` (or `postgresql://`) URL opens
 * PostgreSQL (connected and migrated before this resolves); anything else is an SQLite file
 * name, or `:memory:`.
 */
export async function openStore(database: string, options: OpenOptions = {}): Promise<Store> {
  if (isPostgresUrl(database)) return openPostgresStore({ ...options.postgres, url: database })
  return openSqliteStore({ ...options.sqlite, filename: database })
}

/** A database setting fit to print: a URL's password is replaced by `***`. */
export function shownDatabase(database: string): string {
  if (!isPostgresUrl(database)) return database
  try {
    const url = new URL(database)
    if (url.password !== '') url.password = '***'
    return url.toString()
  } catch {
    return 'a PostgreSQL URL that does not parse'
  }
}
