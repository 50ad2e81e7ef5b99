import type { Store } from '../types.ts'

/** How to reach the database and how much of it to use. */
export interface PostgresOptions {
  /** A `postgres://` URL; `?options=-c search_path=…` may select a schema. */
  readonly url: string
  /** Pooled connections (default 10). */
  readonly max?: number
  /** Milliseconds a request waits for a pooled connection, or for a new one to open (default 2000). */
  readonly connectionTimeoutMs?: number
  /** Requests queued for a connection beyond which new ones fail at once (default 4 × max). */
  readonly maxWaiting?: number
  /** Milliseconds after which the driver gives up on a query's answer (default 10000). */
  readonly queryTimeoutMs?: number
  /** Hear token revocations of other instances (default true); false for one-shot tools. */
  readonly listen?: boolean
}

/** A store on PostgreSQL, shared by any number of instances. */
export type PostgresStore = Store & {
  readonly kind: 'postgres'
  /** The schema the store's tables live in. */
  readonly schema: string
  /** Whether the token listener is connected now (false with `listen: false`). */
  listening(): boolean
  /** Resolves once every revocation committed before the call has been heard by this instance's listener (at once without one). */
  syncTokenGeneration(): Promise<void>
}
