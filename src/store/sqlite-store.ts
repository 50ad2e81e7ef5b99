import Database from 'better-sqlite3'
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { startCheckpointer, type Checkpointer } from './checkpointer.ts'
import { filterSql, indexSql, orderSql, sqliteDialect } from './filter-sql.ts'
import { GroupCommit } from './group-commit.ts'
import { migrate, migrations } from './migrations.ts'
import { changedRow, createdRow, type CreateOp, type CreateResult, type HistoryPage, type HistoryRow, type IdempotentRecord, type KeyClaim, type ListQuery, type ResourceRow, type Store, type StoreObserver, type TokenListing, type TokenRow, type TransitionOp, type TransitionResult } from './types.ts'
import { rolesOf } from './roles.ts'

export interface SqliteOptions {
  /** File name, or `:memory:`. */
  readonly filename: string
  /** `FULL` (default) makes every acknowledged commit durable; `NORMAL` may lose the last ones on power loss. */
  readonly synchronous?: 'FULL' | 'NORMAL'
  /** Batch the writes of one event-loop turn into one commit (default on). */
  readonly groupCommit?: boolean
  /** Milliseconds to wait for another process's write lock. */
  readonly busyTimeout?: number
  /**
   * Milliseconds between WAL checkpoints on a background thread (default 50, which kept the
   * p99 of transitions at 50 connections lowest in the benchmark; 250 left it about half
   * again higher); 0 leaves them to SQLite, inline.
   */
  readonly checkpointInterval?: number
}

interface RawResource {
  seq: number; id: string; type: string; tenant: string; owner: string | null; state: string
  data: string; version: number; created_at: number; updated_at: number
}

/** A store on SQLite, with read-only access to the settings its connection runs with. */
export type SqliteStore = Store & { pragma(name: DiagnosticPragma): unknown }

/** The pragmas a caller may read: each only reports, none changes the database. */
type DiagnosticPragma = 'synchronous' | 'journal_mode' | 'busy_timeout' | 'integrity_check'

// Spelled out rather than spread: every row gets the same shape, cheaper on the read path.
const toRow = (r: RawResource): ResourceRow => ({
  seq: r.seq, id: r.id, type: r.type, tenant: r.tenant, owner: r.owner, state: r.state,
  data: JSON.parse(r.data) as Record<string, unknown>, version: r.version, created_at: r.created_at, updated_at: r.updated_at,
})

interface RawHistory { seq: number; action: string; from_state: string | null; to_state: string; input: string | null; actor: string | null; at: number }

const toHistory = (h: RawHistory): HistoryRow => ({ seq: h.seq, action: h.action, from: h.from_state, to: h.to_state, input: h.input === null ? null : JSON.parse(h.input), actor: h.actor, at: h.at })

interface RawToken { user_id: string; name: string; tenant: string; roles: string; revoked_at: number | null; expires_at: number | null; session: number }

const tokenRow = (r: RawToken): TokenRow => ({
  user_id: r.user_id, name: r.name, tenant: r.tenant, roles: rolesOf(r.roles), revoked: r.revoked_at !== null, expires_at: r.expires_at, session: r.session === 1,
})

/**
 * Creates a missing database file (and its folder) readable by its owner only: it holds
 * whole responses (idempotency records) and token hashes. SQLite gives the -wal and -shm
 * files the mode of the database file. An existing file keeps the mode it has.
 */
function createPrivately(filename: string): void {
  mkdirSync(dirname(filename), { recursive: true, mode: 0o700 })
  try {
    closeSync(openSync(filename, 'wx', 0o600))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
}

/** Opens (creating if needed) an SQLite database in WAL mode and migrates it. */
export function openSqliteStore(options: SqliteOptions): SqliteStore {
  if (options.filename !== ':memory:') createPrivately(options.filename)
  const db = new Database(options.filename)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`)
  db.pragma(`busy_timeout = ${options.busyTimeout ?? 5000}`)
  db.pragma('foreign_keys = ON')
  migrate(db)
  let observer: StoreObserver = {}
  const interval = options.filename === ':memory:' ? 0 : (options.checkpointInterval ?? 50)
  let checkpointer: Checkpointer | undefined
  if (interval > 0) {
    // Inline checkpoints run inside a commit, on the event loop; the high threshold only bounds the WAL should the thread fall behind.
    db.pragma('wal_autocheckpoint = 10000')
    db.pragma(`journal_size_limit = ${64 * 2 ** 20}`)
    checkpointer = startCheckpointer(options.filename, options.synchronous ?? 'FULL', interval, (m) => console.error(m), (seconds) => observer.checkpoint?.(seconds))
  }

  const q = {
    get: db.prepare('SELECT * FROM resources WHERE id = ?'),
    listTenant: db.prepare('SELECT * FROM resources WHERE type = ? AND tenant = ? AND seq > ? ORDER BY seq LIMIT ?'),
    listOwner: db.prepare('SELECT * FROM resources WHERE type = ? AND tenant = ? AND owner = ? AND seq > ? ORDER BY seq LIMIT ?'),
    insert: db.prepare(`INSERT INTO resources (id, type, tenant, owner, state, data, version, created_at, updated_at)
      VALUES (@id, @type, @tenant, @owner, @state, @data, 1, @at, @at)`),
    cas: db.prepare('UPDATE resources SET state = ?, data = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?'),
    addHistory: db.prepare('INSERT INTO history (resource_id, seq, action, from_state, to_state, input, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    history: db.prepare('SELECT seq, action, from_state, to_state, input, actor, at FROM history WHERE resource_id = ? ORDER BY seq'),
    // Keyset pages on the primary key (resource_id, seq): a page costs its own rows, however long the log.
    historyAfter: db.prepare('SELECT seq, action, from_state, to_state, input, actor, at FROM history WHERE resource_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    historyLatest: db.prepare('SELECT seq, action, from_state, to_state, input, actor, at FROM history WHERE resource_id = ? ORDER BY seq DESC LIMIT ?'),
    recall: db.prepare('SELECT fingerprint, status, headers, body FROM idempotency WHERE principal = ? AND key = ?'),
    remember: db.prepare('INSERT INTO idempotency (principal, key, fingerprint, status, headers, body, at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    prune: db.prepare('DELETE FROM idempotency WHERE at < ?'),
    token: db.prepare('SELECT user_id, name, tenant, roles, revoked_at, expires_at, session FROM tokens WHERE hash = ?'),
    addToken: db.prepare('INSERT INTO tokens (hash, user_id, name, tenant, roles, created_at, expires_at, session) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    revoke: db.prepare('UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL'),
    any: db.prepare('SELECT 1 FROM resources UNION ALL SELECT 1 FROM tokens LIMIT 1'),
    meta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
    metaOnce: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    tokens: db.prepare('SELECT hash, user_id, name, tenant, roles, created_at, revoked_at, expires_at, session FROM tokens ORDER BY created_at, hash'),
    // Changes when another connection (another process, the token command) has committed since we last asked.
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    applied: db.prepare('SELECT version FROM schema_migrations').pluck(),
  }

  // Token generations: bumped by our own revocations, and by any commit of another connection.
  let generation = 0
  let dataVersion = q.dataVersion.get() as number

  const get = (id: string): ResourceRow | undefined => {
    const raw = q.get.get(id) as RawResource | undefined
    return raw === undefined ? undefined : toRow(raw)
  }

  const recall = (principal: string, key: string): IdempotentRecord | undefined => {
    const r = q.recall.get(principal, key) as { fingerprint: string; status: number; headers: string; body: string } | undefined
    return r === undefined ? undefined : { ...r, headers: JSON.parse(r.headers) as Record<string, string> } satisfies IdempotentRecord
  }
  const remember = (claim: KeyClaim | undefined, record: IdempotentRecord | undefined, at: number): void => {
    if (claim === undefined || record === undefined) return
    q.remember.run(claim.principal, claim.key, record.fingerprint, record.status, JSON.stringify(record.headers), record.body, at)
  }

  // Each runs inside the one write transaction of its batch, under the write lock: what it reads is what it changes.
  const create = <R>(op: CreateOp<R>): CreateResult<R> => {
    const { row } = op
    const data = JSON.stringify(row.data)
    const seq = q.insert.run({ ...row, data }).lastInsertRowid
    q.addHistory.run(row.id, 1, 'create', null, row.state, data, row.actor, row.at)
    const answer = op.answer(createdRow(row, Number(seq)))
    remember(op.key, answer.record, row.at)
    return { kind: 'created', value: answer.value }
  }
  const transition = <F, R>(op: TransitionOp<F, R>): TransitionResult<F, R> => {
    const fresh = get(op.id)
    if (fresh === undefined) return { kind: 'gone' }
    if (op.key !== undefined && recall(op.key.principal, op.key.key) !== undefined) return { kind: 'key-taken' }
    const verdict = op.decide(fresh)
    if (!verdict.ok) return { kind: 'refused', refusal: verdict.refusal, fresh }
    const w = verdict.change
    const data = JSON.stringify(w.data)
    // The version cannot have moved under the write lock; the WHERE still guards against a caller's mistake.
    if (q.cas.run(w.to, data, w.at, fresh.id, fresh.version).changes !== 1) throw new Error(`the row ${fresh.id} changed under the write lock`)
    q.addHistory.run(fresh.id, fresh.version + 1, w.action, fresh.state, w.to, JSON.stringify(w.input ?? null), w.actor, w.at)
    const row = changedRow(fresh, w)
    const answer = op.answer(row, fresh)
    remember(op.key, answer.record, w.at)
    return { kind: 'moved', value: answer.value, from: fresh, row }
  }

  // Statements differ by filter, but a collection's searches are few: each is prepared once.
  const filtered = new Map<string, Database.Statement>()
  const filteredList = (query: ListQuery): ResourceRow[] => {
    const owner = query.owner === undefined ? '' : ' AND owner = ?'
    const where = filterSql(query.filters, sqliteDialect, 1)
    const page = orderSql(query.sort, query.after, sqliteDialect, 1)
    const text = `SELECT * FROM resources WHERE type = ? AND tenant = ?${owner}${page.where}${where.sql} ${page.order} LIMIT ?`
    let statement = filtered.get(text)
    if (statement === undefined) {
      if (filtered.size >= 256) filtered.clear()
      statement = db.prepare(text)
      filtered.set(text, statement)
    }
    const head = [query.type, query.tenant, ...(query.owner === undefined ? [] : [query.owner]), ...page.values]
    return (statement.all(...head, ...where.values, query.limit) as RawResource[]).map(toRow)
  }

  const writer = new GroupCommit(db, 512, (size) => observer.batch?.(size))
  const single = <T>(work: () => T): T => db.transaction(work).immediate()
  const write = <T>(work: () => T): Promise<T> => {
    if (options.groupCommit !== false) return writer.submit(work)
    try {
      return Promise.resolve(single(work))
    } catch (error) {
      return Promise.reject(error)
    }
  }
  // A key stored by another process first: its PRIMARY KEY clash rolls this write back.
  const keyClash = (error: unknown): { kind: 'key-taken' } => {
    if ((error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return { kind: 'key-taken' }
    throw error
  }

  return {
    kind: 'sqlite',
    get,
    list(query: ListQuery) {
      if ((query.filters !== undefined && query.filters.length > 0) || query.sort !== undefined) return filteredList(query)
      const rows = (query.owner === undefined
        ? q.listTenant.all(query.type, query.tenant, query.after, query.limit)
        : q.listOwner.all(query.type, query.tenant, query.owner, query.after, query.limit)) as RawResource[]
      return rows.map(toRow)
    },
    history(id: string, page?: HistoryPage) {
      let raw: RawHistory[]
      if (page === undefined) raw = q.history.all(id) as RawHistory[]
      else if ('latest' in page) raw = (q.historyLatest.all(id, page.latest) as RawHistory[]).reverse()
      else raw = q.historyAfter.all(id, page.after, page.limit) as RawHistory[]
      return raw.map(toHistory)
    },
    create: <R>(op: CreateOp<R>) => write(() => create(op)).catch(keyClash),
    transition: <F, R>(op: TransitionOp<F, R>) => write(() => transition(op)).catch(keyClash),
    recall,
    pruneIdempotency(before) {
      return q.prune.run(before).changes
    },
    tokenByHash(hash) {
      const r = q.token.get(hash) as RawToken | undefined
      return r === undefined ? undefined : tokenRow(r)
    },
    addToken(hash, row, at) {
      // No generation bump: a new token was in no one's cache, and the others stay as they were.
      q.addToken.run(hash, row.user_id, row.name, row.tenant, JSON.stringify(row.roles), at, row.expires_at ?? null, row.session === true ? 1 : 0)
    },
    revokeToken(hash, at) {
      generation++
      return q.revoke.run(at, hash).changes > 0
    },
    tokenGeneration() {
      const now = q.dataVersion.get() as number
      if (now !== dataVersion) {
        dataVersion = now
        generation++
      }
      return generation
    },
    listTokens() {
      return (q.tokens.all() as (RawToken & { hash: string; created_at: number })[])
        .map((r): TokenListing => ({ ...tokenRow(r), hash: r.hash, created_at: r.created_at }))
    },
    isEmpty() {
      return q.any.get() === undefined
    },
    meta(key) {
      return q.meta.get(key) as string | undefined
    },
    metaOnce(key, value) {
      q.metaOnce.run(key, value)
      return q.meta.get(key) as string
    },
    setMeta(key, value) {
      q.setMeta.run(key, value)
    },
    observe(o) {
      observer = o
    },
    indexFields(fields) {
      for (const f of fields) db.exec(indexSql(f, sqliteDialect))
    },
    unready() {
      let applied: Set<number>
      try {
        applied = new Set(q.applied.all() as number[])
      } catch {
        return 'The database is unreachable.'
      }
      const missing = migrations.filter((m) => !applied.has(m.version)).map((m) => m.version)
      return missing.length === 0 ? undefined : `The database lacks migrations ${missing.join(', ')}.`
    },
    pragma(name: DiagnosticPragma) {
      return db.pragma(name, { simple: true })
    },
    close() {
      writer.drain()
      checkpointer?.stop()
      if (db.open) db.close()
    },
  }
}
