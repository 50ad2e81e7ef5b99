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

/**
 * One condition on a list (conditions are all met; values of one are alternatives). A
 * missing field meets none. Date-time bounds are UTC with milliseconds (`toISOString`).
 */
export type Filter =
  | { readonly kind: 'state'; readonly values: readonly string[] }
  | { readonly kind: 'equals'; readonly field: string; readonly values: readonly string[] }
  | { readonly kind: 'range'; readonly field: string; readonly as: 'number' | 'date-time'; readonly after?: number | string; readonly before?: number | string }

/** A list's order on a data field; `after` is still the `seq` of the last row of the previous page. */
export interface Sort {
  readonly field: string
  readonly as: 'number' | 'date-time'
  readonly descending: boolean
}

/** A data field lists are filtered on, and how it is compared. */
export interface IndexedField {
  readonly field: string
  readonly as: 'text' | 'number' | 'date-time'
}

export interface ListQuery {
  readonly type: string
  readonly tenant: string
  /** Only this owner's resources, when set. */
  readonly owner?: string | undefined
  /** Only the resources that meet every one of these. */
  readonly filters?: readonly Filter[] | undefined
  /** In this field's order (then by `seq`), rather than by `seq` alone; every row must have the field. */
  readonly sort?: Sort | undefined
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

/** A value, or a promise of it: SQLite answers at once, a server database later. Callers `await` or use `after`. */
export type Awaitable<T> = T | Promise<T>

/** The idempotency key a write claims: checked and stored in the write's own transaction. */
export interface KeyClaim {
  readonly principal: string
  readonly key: string
}

/** What a write makes of the row it wrote: the caller's answer, and the record to keep under its key. */
export interface Answer<R> {
  readonly value: R
  /** Stored under the op's key in the same transaction; undefined stores nothing. */
  readonly record?: IdempotentRecord | undefined
}

/** A new resource in its initial state, with its first history entry. */
export interface CreateOp<R> {
  readonly row: NewResource
  readonly key?: KeyClaim | undefined
  /** Pure: builds the answer from the row as stored (its `seq` may be 0 before the database assigns it; answers do not show it). */
  answer(row: ResourceRow): Answer<R>
}

export type CreateResult<R> =
  | { readonly kind: 'created'; readonly value: R }
  /** The key was stored by another request first. */
  | { readonly kind: 'key-taken' }

/** The change a transition makes, once decided. */
export interface Change {
  readonly action: string
  readonly to: string
  readonly data: Readonly<Record<string, unknown>>
  readonly input: unknown
  readonly actor: string | null
  readonly at: number
}

/** What `decide` makes of the row as it is now: a refusal, or a change. */
export type Verdict<F> = { readonly ok: false; readonly refusal: F } | { readonly ok: true; readonly change: Change }

/**
 * One transition, decided against the row as the write finds it: a store that holds a lock
 * reads it inside; one that tries `seen` first decides again on a fresher row when the
 * compare-and-swap misses. `decide` and `answer` are pure and may run more than once.
 */
export interface TransitionOp<F, R> {
  readonly id: string
  /** The row as last read, which an optimistic store tries first. */
  readonly seen?: ResourceRow | undefined
  readonly key?: KeyClaim | undefined
  decide(fresh: ResourceRow): Verdict<F>
  /** Builds the answer from the row as written and the row it came from. */
  answer(row: ResourceRow, from: ResourceRow): Answer<R>
}

export type TransitionResult<F, R> =
  | { readonly kind: 'moved'; readonly value: R; readonly from: ResourceRow; readonly row: ResourceRow }
  | { readonly kind: 'refused'; readonly refusal: F; readonly fresh: ResourceRow }
  | { readonly kind: 'gone' }
  /** The key was stored by another request first (checked before deciding). */
  | { readonly kind: 'key-taken' }

/** The row a change makes of `from`: every store writes exactly this. */
export const changedRow = (from: ResourceRow, change: Change): ResourceRow => ({
  seq: from.seq, id: from.id, type: from.type, tenant: from.tenant, owner: from.owner, state: change.to,
  data: change.data, version: from.version + 1, created_at: from.created_at, updated_at: change.at,
})

/** The row a create makes (its `seq` as given: 0 before the database assigns one). */
export const createdRow = (row: NewResource, seq = 0): ResourceRow => ({
  seq, id: row.id, type: row.type, tenant: row.tenant, owner: row.owner, state: row.state,
  data: row.data, version: 1, created_at: row.at, updated_at: row.at,
})

/**
 * The storage port: SQLite by default (synchronous answers), PostgreSQL for many
 * instances (promises). Writes are data, decided by pure functions the store runs in its
 * own transaction, so each store picks its own locking.
 */
export interface Store {
  /** What the store runs on, for logs and the start-up line: "sqlite" or "postgres". */
  readonly kind: string
  get(id: string): Awaitable<ResourceRow | undefined>
  list(query: ListQuery): Awaitable<ResourceRow[]>
  /** The whole log oldest first, or one page of it. */
  history(id: string, page?: HistoryPage): Awaitable<HistoryRow[]>
  /** Inserts a resource, its first history entry and the key's record in one transaction; resolves after commit. */
  create<R>(op: CreateOp<R>): Promise<CreateResult<R>>
  /** Decides and applies one transition: compare-and-swap, history entry and the key's record in one transaction; resolves after commit. */
  transition<F, R>(op: TransitionOp<F, R>): Promise<TransitionResult<F, R>>
  recall(principal: string, key: string): Awaitable<IdempotentRecord | undefined>
  pruneIdempotency(before: number): Awaitable<number>
  tokenByHash(hash: string): Awaitable<TokenRow | undefined>
  addToken(hash: string, row: Omit<TokenRow, 'revoked' | 'expires_at' | 'session'> & Partial<Pick<TokenRow, 'expires_at' | 'session'>>, at: number): Awaitable<void>
  /** Revokes a token; resolves once every instance listening will refuse it. */
  revokeToken(hash: string, at: number): Awaitable<boolean>
  /**
   * A number that changes whenever a token may have been revoked, by this process or
   * another; token lookups may be remembered while it stays the same. (An added token
   * needs no change: only tokens found valid are remembered.) A store that cannot tell
   * for now (its signal lost) returns a new number each time. A store without it has
   * every lookup made afresh.
   */
  tokenGeneration?(): number
  /**
   * Resolves once every revocation committed anywhere before the call shows in
   * `tokenGeneration`. A store whose generation may lag behind the database (one told of
   * revocations by messages, which may still be on their way) has it; a remembered lookup is
   * trusted only after it.
   */
  syncTokenGeneration?(): Promise<void>
  /** Every token, oldest first (for the token command). */
  listTokens?(): Awaitable<TokenListing[]>
  /** True while the database holds neither resources nor tokens: new, never used. */
  isEmpty(): Awaitable<boolean>
  /** A setting the database keeps about itself (a key, a flag), or undefined. */
  meta(key: string): Awaitable<string | undefined>
  /** Sets a setting unless it is set already; returns the value that holds (race-safe across processes). */
  metaOnce(key: string, value: string): Awaitable<string>
  /** Sets (or replaces) a setting. */
  setMeta(key: string, value: string): Awaitable<void>
  /** Makes (once) an index for lists filtered on each of these data fields, as `filterSql` reads them. */
  indexFields?(fields: readonly IndexedField[]): Awaitable<void>
  /** Why the store cannot serve now (the database unreachable, migrations missing), or undefined when it can; asked by `/ready`. */
  unready?(): Awaitable<string | undefined>
  /** The connection pool's counts now, for a store that pools connections to a server. */
  connections?(): { readonly open: number; readonly idle: number; readonly waiting: number }
  /** Tells `observer` of the store's work from now on (replacing any before), for metrics. */
  observe?(observer: StoreObserver): void
  /** Commits what it has accepted and lets go of the database. */
  close(): Awaitable<void>
}

/** What a store reports of its work: each member optional. */
export interface StoreObserver {
  /** Writes committed together in one transaction. */
  readonly batch?: (size: number) => void
  /** Time of a WAL checkpoint that copied pages back. */
  readonly checkpoint?: (seconds: number) => void
}

/**
 * The database cannot be reached now (down, restarting, every connection busy): the
 * request was not done and may be sent again, so HTTP answers 503 with Retry-After.
 */
export class StoreUnavailable extends Error {
  readonly retryAfterSeconds: number
  constructor(message: string, retryAfterSeconds = 1, options?: ErrorOptions) {
    super(message, options)
    this.name = 'StoreUnavailable'
    this.retryAfterSeconds = retryAfterSeconds
  }
}
