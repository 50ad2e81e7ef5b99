import { StoreUnavailable } from '../types.ts'

/**
 * What an error from the driver means for the caller: the database could not be reached
 * (down, restarting, the network), the database or this instance is busy (every connection
 * taken), or anything else, which is a fault of the query and propagates as it is.
 */
export type Fault = 'unreachable' | 'busy' | 'other'

// Socket errors of a connection that failed or broke.
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])

// SQLSTATE: the server is shutting down or starting (57P01-57P03); too many connections (53300).
const SHUTDOWN = new Set(['57P01', '57P02', '57P03'])

// The driver's own words for a connection it lost or could not make (these errors carry no code).
const LOST = ['Connection terminated', 'Client has encountered a connection error and is not queryable']

/**
 * Waits the driver gave up: for a pooled connection (`connectionTimeoutMillis`), or for a
 * query's answer (`query_timeout`: a lock held long, an overloaded server). A server out of
 * reach shows on the next connection, which then fails to open.
 */
const WAITED = ['timeout exceeded when trying to connect', 'Query read timeout']

/** Classifies a driver error (an AggregateError from a dual-stack connect is read through its parts). */
export function faultOf(error: unknown): Fault {
  if (!(error instanceof Error)) return 'other'
  if (error instanceof StoreUnavailable) return 'busy'
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    if (NETWORK.has(code) || SHUTDOWN.has(code) || code.startsWith('08')) return 'unreachable'
    // Too many connections; and a transaction the server rolled back to keep others consistent
    // (serialization failure, deadlock): nothing of it was done, so it may be sent again.
    if (code === '53300' || code === '40001' || code === '40P01') return 'busy'
  }
  if (WAITED.includes(error.message)) return 'busy'
  if (LOST.some((m) => error.message.startsWith(m))) return 'unreachable'
  if (error instanceof AggregateError) return error.errors.some((e) => faultOf(e) === 'unreachable') ? 'unreachable' : 'other'
  return 'other'
}

/** The error a caller sees: `StoreUnavailable` for a database out of reach or busy, the error itself otherwise. */
export function toStoreError(error: unknown, fault: Fault = faultOf(error)): unknown {
  if (error instanceof StoreUnavailable || fault === 'other') return error
  const reason = error instanceof Error ? error.message : String(error)
  return fault === 'unreachable'
    ? new StoreUnavailable(`The database is unreachable (${reason}).`, 2, { cause: error })
    : new StoreUnavailable(`The database is busy (${reason}).`, 1, { cause: error })
}

/** A unique-key violation on `constraint`, as PostgreSQL reports it. */
export const violates = (error: unknown, constraint: string): boolean =>
  error instanceof Error && (error as { code?: unknown }).code === '23505' && (error as { constraint?: unknown }).constraint === constraint
