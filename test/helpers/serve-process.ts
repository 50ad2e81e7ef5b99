import type { AddressInfo } from 'node:net'
import { createApp, createHttpServer, openPostgresStore, openSqliteStore, StoreUnavailable, type PostgresOptions } from '../../src/index.ts'
import { bookmark, demoUsers, visit } from '../../src/resources/index.ts'

// A server in a process of its own, for tests that need several processes on one
// database or a process to kill: `node --import tsx serve-process.ts <database> [options]`,
// the database an SQLite file or a postgres:// URL, the options JSON (see `ServeOptions`).
// It prints one JSON line with its URL and what its store runs with.

/** What a test may ask of the process beyond its database. */
export interface ServeOptions {
  /** Offers demo sign-in (the database must have been made a demo one). */
  readonly demo?: boolean
  /** Pool settings for a PostgreSQL database. */
  readonly postgres?: Omit<PostgresOptions, 'url'>
}

const [database, json] = process.argv.slice(2)
if (database === undefined) {
  console.error('usage: serve-process.ts <sqlite file | postgres:// URL> [options as JSON]')
  process.exit(2)
}
const options = JSON.parse(json ?? '{}') as ServeOptions

// Tests read stderr for these words: a fault must never leave a promise or an exception unhandled.
process.on('unhandledRejection', (reason) => {
  console.error('unhandled rejection:', reason)
  process.exit(70)
})
process.on('uncaughtException', (error) => {
  console.error('uncaught exception:', error)
  process.exit(70)
})

const postgres = /^postgres(ql)?:\/\//.test(database)
const store = postgres ? await openPostgresStore({ ...options.postgres, url: database }) : openSqliteStore({ filename: database })
const app = createApp({
  resources: [bookmark, visit],
  database: store,
  ...(options.demo === true && { demoUsers }),
  // An unavailable database is expected under fault tests: one line each, not a stack.
  log: (error) => console.error('unexpected error:', error instanceof StoreUnavailable ? error.message : error),
})
const info = 'pragma' in store
  ? { store: 'sqlite', synchronous: store.pragma('synchronous'), journal_mode: store.pragma('journal_mode') }
  : { store: 'postgres', schema: (store as { schema?: string }).schema }
const server = createHttpServer(app)
server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as AddressInfo).port
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, pid: process.pid, ...info }))
})
// The parent may die without killing us: leave when stdin closes, never linger.
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => {
    void Promise.resolve(app.close()).finally(() => process.exit(0))
  })
})
