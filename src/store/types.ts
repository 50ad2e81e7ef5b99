/** One stored resource, as a row. */
export interface ResourceRow {
  readonly seq: number
  readonly id: string
  readonly type: string
  readonly tenant: string
  readonly owner: string | null
  readonly state: string
  readonly data: Readonly<Record<string, unknown>>
  readonly version: number
  readonly created_at: number
  readonly updated_at: number
}

/** One entry of a resource's transition log; `action` is "create" for the first. */
export interface HistoryRow {
  readonly seq: number
  readonly action: string
  readonly from: string | null
  readonly to: string
  readonly input: unknown
  readonly actor: string | null
  readonly at: number
}

export interface NewResource {
  readonly id: string
  readonly type: string
  readonly tenant: string
  readonly owner: string | null
  readonly state: string
  readonly data: Readonly<Record<string, unknown>>
  readonly actor: string | null
  readonly at: number
}

export interface TransitionWrite {
  readonly id: string
  readonly expectedVersion: number
  readonly action: string
  readonly from: string
  readonly to: string
  readonly data: Readonly<Record<string, unknown>>
  readonly input: unknown
  readonly actor: string | null
  readonly at: number
}

export interface ListQuery {
  readonly type: string
  readonly tenant: string
  /** Only this owner's resources, when set. */
  readonly owner?: string | undefined
  /** Keyset cursor: the `seq` of the last item of the previous page. */
  readonly after: number
  readonly limit: number
}

/** Part of one resource's log: the entries after a `seq`, oldest first, or the latest few (still oldest first). */
export type HistoryPage = { readonly after: number; readonly limit: number } | { readonly latest: number }

export interface TokenRow {
  readonly user_id: string
  readonly name: string
  readonly tenant: string
  readonly roles: readonly string[]
  readonly revoked: boolean
  /** When the token stops working (ms since the epoch), or null when it does not expire. */
  readonly expires_at: number | null
  /** Issued by a sign-in (so signing out revokes it), rather than by an administrator. */
  readonly session: boolean
}

/** A token as administrators see it: its hash (never the token) and when it was made. */
export interface TokenListing extends TokenRow {
  readonly hash: string
  readonly created_at: number
}

/** A stored response for an idempotency key. */
export interface IdempotentRecord {
  readonly fingerprint: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Reads and writes inside one write transaction (a savepoint of a group commit). */
export interface WriteTx {
  get(id: string): ResourceRow | undefined
  insert(row: NewResource): ResourceRow
  /** Compare-and-swap on version; undefined when the version moved on. */
  transition(write: TransitionWrite): ResourceRow | undefined
  remember(principal: string, key: string, record: IdempotentRecord, at: number): void
}

/** The storage port: SQLite by default, replaceable by a server database. */
export interface Store {
  get(id: string): ResourceRow | undefined
  list(query: ListQuery): ResourceRow[]
  /** The whole log oldest first, or one page of it. */
  history(id: string, page?: HistoryPage): HistoryRow[]
  /** Runs `work` in a write transaction shared with other writes of the same tick; resolves after commit. */
  write<T>(work: (tx: WriteTx) => T): Promise<T>
  recall(principal: string, key: string): IdempotentRecord | undefined
  pruneIdempotency(before: number): number
  tokenByHash(hash: string): TokenRow | undefined
  addToken(hash: string, row: Omit<TokenRow, 'revoked' | 'expires_at' | 'session'> & Partial<Pick<TokenRow, 'expires_at' | 'session'>>, at: number): void
  revokeToken(hash: string, at: number): boolean
  /**
   * A number that changes whenever a token may have been revoked, by this process or
   * another; token lookups may be remembered while it stays the same. (An added token
   * needs no change: only tokens found valid are remembered.)
   * A store without it has every lookup made afresh.
   */
  tokenGeneration?(): number
  /** Every token, oldest first (for the token command). */
  listTokens?(): TokenListing[]
  /** True while the database holds neither resources nor tokens: new, never used. */
  isEmpty(): boolean
  /** A setting the database keeps about itself (a key, a flag), or undefined. */
  meta(key: string): string | undefined
  /** Sets a setting unless it is set already; returns the value that holds (race-safe across processes). */
  metaOnce(key: string, value: string): string
  /** Sets (or replaces) a setting. */
  setMeta(key: string, value: string): void
  /** Why the store cannot serve now (the database unreachable, migrations missing), or undefined when it can. */
  unready?(): string | undefined
  /** Tells `observer` of the store's work from now on (replacing any before), for metrics. */
  observe?(observer: StoreObserver): void
  close(): void
}

/** What a store reports of its work: each member optional. */
export interface StoreObserver {
  /** Writes committed together in one transaction. */
  readonly batch?: (size: number) => void
  /** Time of a WAL checkpoint that copied pages back. */
  readonly checkpoint?: (seconds: number) => void
}
