import pg from 'pg'
import { StoreUnavailable } from '../types.ts'
import { faultOf, toStoreError } from './errors.ts'
import type { PostgresOptions } from './types.ts'

const INT8 = 20

// Per pool, never pg.types.setTypeParser: that would change every other pg pool of a host application.
// bigint columns hold sequence numbers, versions and milliseconds, all well within 2^53.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
}

/** The settings of every connection the store opens: pooled, listening, or migrating. */
export const clientConfig = (options: PostgresOptions): pg.ClientConfig => ({
  connectionString: options.url,
  // Operators and tests see the store's connections by name; a URL's application_name wins.
  fallback_application_name: 'affordance',
  connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
  query_timeout: options.queryTimeoutMs ?? 10_000,
  keepAlive: true,
  types,
})

const PROBE_MS = 500

/**
 * The pool, with the store's rules around it: a bounded queue of requests waiting for a
 * connection, driver errors turned into `StoreUnavailable` when the database is out of reach
 * or busy, and a readiness flag that a background probe restores once the database answers.
 */
export class Connections {
  readonly #pool: pg.Pool
  readonly #max: number
  readonly #maxWaiting: number
  // Statements and transactions holding a connection or waiting for one.
  #admitted = 0
  #unreachable = false
  #probe: NodeJS.Timeout | undefined
  #closed = false

  constructor(options: PostgresOptions) {
    this.#max = options.max ?? 10
    this.#maxWaiting = options.maxWaiting ?? 4 * this.#max
    // Pipelined clients send a transaction's statements without waiting for each answer (see writes.ts).
    this.#pool = new pg.Pool({ ...clientConfig(options), max: this.#max, pipeline: true })
    // An idle connection killed under us (a restart, an administrator) must not crash the process.
    this.#pool.on('error', (error) => this.failed(error))
  }

  /** Runs one statement on a pooled connection. */
  async query<R extends pg.QueryResultRow>(query: pg.QueryConfig): Promise<pg.QueryResult<R>> {
    this.#admit()
    try {
      const result = await this.#pool.query<R>(query)
      this.#answered()
      return result
    } catch (error) {
      throw this.failed(error)
    } finally {
      this.#admitted--
    }
  }

  /** Takes a connection for a transaction; the caller hands it back with `release`. */
  async connect(): Promise<pg.PoolClient> {
    this.#admit()
    try {
      return await this.#pool.connect()
    } catch (error) {
      this.#admitted--
      throw this.failed(error)
    }
  }

  /** Hands back a connection `connect` gave; with an error, the connection is closed rather than reused. */
  release(client: pg.PoolClient, error?: Error): void {
    this.#admitted--
    client.release(error)
  }

  /** Notes an error (the database out of reach makes the store unready) and returns what the caller should see. */
  failed(error: unknown): unknown {
    const fault = faultOf(error)
    if (fault === 'unreachable') this.#lost()
    return toStoreError(error, fault)
  }

  /** The pool's connections now: open, of which idle, and requests waiting for one. */
  counts(): { open: number; idle: number; waiting: number } {
    return { open: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount }
  }

  /** The reason the store cannot serve now, or undefined. */
  unready(): string | undefined {
    return this.#unreachable ? 'The database is unreachable.' : undefined
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#probe)
    await this.#pool.end()
  }

  // Counted here rather than read from the pool: the pool queues every caller of one tick while
  // a single idle connection is handed over, so its own counts would admit them all.
  #admit(): void {
    if (this.#closed) throw new Error('The store is closed.')
    if (this.#admitted >= this.#max + this.#maxWaiting) throw new StoreUnavailable('Every database connection is busy.', 1)
    this.#admitted++
  }

  #answered(): void {
    this.#unreachable = false
  }

  #lost(): void {
    this.#unreachable = true
    if (this.#probe === undefined && !this.#closed) this.#schedule()
  }

  // Readiness comes back without traffic: a `SELECT 1` every half second until one is answered.
  #schedule(): void {
    this.#probe = setTimeout(() => {
      this.#pool.query('SELECT 1').then(
        () => { this.#probe = undefined; this.#answered() },
        () => { if (this.#closed) this.#probe = undefined; else this.#schedule() },
      )
    }, PROBE_MS)
    this.#probe.unref()
  }
}
