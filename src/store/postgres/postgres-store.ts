import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { StoreUnavailable, type HistoryPage, type ListQuery } from '../types.ts'
import { filterSql, indexSql, orderSql, postgresDialect } from '../filter-sql.ts'
import { clientConfig, Connections } from './connections.ts'
import { toStoreError } from './errors.ts'
import { migrate, migrations } from './migrations.ts'
import { HISTORY, RESOURCE, TOKEN, toHistory, tokenListing, tokenRow, toRecord, toRow, type RawHistory, type RawRecord, type RawResource, type RawToken } from './rows.ts'
import { channelFor, TokenSignal } from './token-signal.ts'
import type { PostgresOptions, PostgresStore } from './types.ts'
import { create, transition } from './writes.ts'

/** How long a revocation waits to hear its own notification, which every listening instance is sent at the same commit. */
const REVOKE_WAIT_MS = 1000

/** Migrates the schema with a connection of its own, so that opening fails at once, and clearly, when the database cannot be reached. */
async function prepare(options: PostgresOptions): Promise<string> {
  const client = new pg.Client(clientConfig(options))
  // Errors after connecting (the server going away mid-migration) reject the query under way; this only keeps them from crashing the process.
  client.on('error', () => {})
  try {
    await client.connect()
    return await migrate(client)
  } catch (error) {
    throw toStoreError(error)
  } finally {
    await client.end().catch(() => {})
  }
}

/** Connects to PostgreSQL, migrates the schema and starts listening for token revocations. */
export async function connectPostgresStore(options: PostgresOptions): Promise<PostgresStore> {
  const schema = await prepare(options)
  const db = new Connections(options)
  const channel = channelFor(schema)
  const signal = options.listen === false ? undefined : new TokenSignal(clientConfig(options), channel)
  await signal?.start()

  const rows = async <T extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<T[]> =>
    (await db.query<T>({ name, text, values })).rows
  const first = async <T extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<T | undefined> =>
    (await rows<T>(name, text, values))[0]

  const store: PostgresStore = {
    kind: 'postgres',
    schema,
    // A resource id is text without NUL (PostgreSQL's text cannot hold one): an id with one names nothing.
    async get(id) {
      if (id.includes('\u0000')) return undefined
      const raw = await first<RawResource>('get', `SELECT ${RESOURCE} FROM resources WHERE id = $1`, [id])
      return raw === undefined ? undefined : toRow(raw)
    },
    async list(q: ListQuery) {
      if ((q.filters !== undefined && q.filters.length > 0) || q.sort !== undefined) {
        const scope = q.owner === undefined ? [q.type, q.tenant] : [q.type, q.tenant, q.owner]
        const owner = q.owner === undefined ? '' : ' AND owner = $3'
        const page = orderSql(q.sort, q.after, postgresDialect, scope.length + 1)
        const head = [...scope, ...page.values]
        const where = filterSql(q.filters, postgresDialect, head.length + 1)
        const limit = `$${head.length + where.values.length + 1}`
        const text = `SELECT ${RESOURCE} FROM resources WHERE type = $1 AND tenant = $2${owner}${page.where}${where.sql} ${page.order} LIMIT ${limit}`
        return (await db.query<RawResource>({ text, values: [...head, ...where.values, q.limit] })).rows.map(toRow)
      }
      const raw = q.owner === undefined
        ? await rows<RawResource>('list', `SELECT ${RESOURCE} FROM resources WHERE type = $1 AND tenant = $2 AND seq > $3 ORDER BY seq LIMIT $4`, [q.type, q.tenant, q.after, q.limit])
        : await rows<RawResource>('list-owner', `SELECT ${RESOURCE} FROM resources WHERE type = $1 AND tenant = $2 AND owner = $3 AND seq > $4 ORDER BY seq LIMIT $5`, [q.type, q.tenant, q.owner, q.after, q.limit])
      return raw.map(toRow)
    },
    async history(id: string, page?: HistoryPage) {
      if (id.includes('\u0000')) return []
      let raw: RawHistory[]
      if (page === undefined) raw = await rows('history', `SELECT ${HISTORY} FROM history WHERE resource_id = $1 ORDER BY seq`, [id])
      else if ('latest' in page) raw = (await rows<RawHistory>('history-latest', `SELECT ${HISTORY} FROM history WHERE resource_id = $1 ORDER BY seq DESC LIMIT $2`, [id, page.latest])).reverse()
      else raw = await rows('history-after', `SELECT ${HISTORY} FROM history WHERE resource_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [id, page.after, page.limit])
      return raw.map(toHistory)
    },
    create: (op) => create(db, op),
    transition: (op) => transition(db, op),
    async recall(principal, key) {
      const raw = await first<RawRecord>('recall', 'SELECT fingerprint, status, headers, body FROM idempotency WHERE principal = $1 AND key = $2', [principal, key])
      return raw === undefined ? undefined : toRecord(raw)
    },
    async pruneIdempotency(before) {
      return (await db.query({ name: 'prune', text: 'DELETE FROM idempotency WHERE at < $1', values: [before] })).rowCount ?? 0
    },
    async tokenByHash(hash) {
      const raw = await first<RawToken>('token', `SELECT ${TOKEN} FROM tokens WHERE hash = $1`, [hash])
      return raw === undefined ? undefined : tokenRow(raw)
    },
    async addToken(hash, row, at) {
      // No generation change: a new token was in no one's cache, and the others stay as they were.
      await db.query({
        name: 'add-token',
        text: 'INSERT INTO tokens (hash, user_id, name, tenant, roles, created_at, expires_at, session) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        values: [hash, row.user_id, row.name, row.tenant, JSON.stringify(row.roles), at, row.expires_at ?? null, row.session === true],
      })
    },
    async revokeToken(hash, at) {
      // Sent with the update, so it is delivered at its commit, to every listening instance at once; waiting
      // to hear it here means each of them has been sent it by the time the caller answers.
      const nonce = randomUUID()
      const expected = signal?.expect(nonce, REVOKE_WAIT_MS)
      try {
        const result = await db.query({
          name: 'revoke',
          text: 'WITH r AS (UPDATE tokens SET revoked_at = $1 WHERE hash = $2 AND revoked_at IS NULL RETURNING hash) SELECT pg_notify($3, $4) FROM r',
          values: [at, hash, channel, nonce],
        })
        signal?.bump()
        if (result.rows.length === 0) {
          expected?.cancel()
          return false
        }
      } catch (error) {
        expected?.cancel()
        throw error
      }
      await expected?.heard
      return true
    },
    async listTokens() {
      // COLLATE "C": the byte order the SQLite store lists in, whatever the database's collation.
      const raw = await rows<RawToken & { hash: string; created_at: number }>('tokens', `SELECT hash, created_at, ${TOKEN} FROM tokens ORDER BY created_at, hash COLLATE "C"`, [])
      return raw.map(tokenListing)
    },
    async isEmpty() {
      const row = await first<{ used: boolean }>('is-empty', 'SELECT EXISTS (SELECT 1 FROM resources) OR EXISTS (SELECT 1 FROM tokens) AS used', [])
      return row?.used !== true
    },
    async meta(key) {
      return (await first<{ value: string }>('meta', 'SELECT value FROM meta WHERE key = $1', [key]))?.value
    },
    async metaOnce(key, value) {
      // DO UPDATE (to itself) rather than DO NOTHING: it returns the row that holds, even one committed by a racing instance after this statement began.
      const row = await first<{ value: string }>('meta-once', 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = meta.value RETURNING value', [key, value])
      return (row as { value: string }).value
    },
    async setMeta(key, value) {
      await db.query({ name: 'set-meta', text: 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', values: [key, value] })
    },
    // A probe's question: the database answers, and holds every migration this version needs.
    async unready() {
      const known = db.unready()
      if (known !== undefined) return known
      let applied: Set<number>
      try {
        applied = new Set((await db.query({ name: 'applied', text: 'SELECT version FROM schema_migrations', values: [] })).rows.map((r) => (r as { version: number }).version))
      } catch (error) {
        // Busy (every connection taken) is no reason to send traffic elsewhere; out of reach is.
        if (error instanceof StoreUnavailable) return db.unready()
        return `The database cannot be read (${String((error as Error).message).slice(0, 200)}).`
      }
      const missing = migrations.filter((m) => !applied.has(m.version)).map((m) => m.version)
      return missing.length === 0 ? undefined : `The database lacks migrations ${missing.join(', ')}.`
    },
    async indexFields(fields) {
      for (const f of fields) {
        try {
          await db.query({ text: indexSql(f, postgresDialect) })
        } catch (error) {
          // Instances starting together race to make it: IF NOT EXISTS still lets the loser fail on the catalogue.
          const code = (error as { code?: unknown }).code
          if (code !== '23505' && code !== '42P07') throw error
        }
      }
    },
    connections: () => db.counts(),
    listening: () => signal?.listening ?? false,
    syncTokenGeneration: async () => { await signal?.sync() },
    async close() {
      await signal?.close()
      await db.close()
    },
  }
  if (signal !== undefined) store.tokenGeneration = () => signal.generation()
  return store
}
