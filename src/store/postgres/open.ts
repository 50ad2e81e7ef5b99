import type { PostgresOptions, PostgresStore } from './types.ts'

/**
 * Connects to PostgreSQL, migrates the schema and starts listening for token revocations.
 * The driver is loaded on first use: an application on SQLite never loads it (nor what it
 * loads at start, such as a WebAssembly HTTP parser).
 */
export async function openPostgresStore(options: PostgresOptions): Promise<PostgresStore> {
  const { connectPostgresStore } = await import('./postgres-store.ts')
  return connectPostgresStore(options)
}
