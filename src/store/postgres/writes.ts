import type pg from 'pg'
import { changedRow, createdRow } from '../types.ts'
import type { Change, CreateOp, CreateResult, IdempotentRecord, KeyClaim, ResourceRow, TransitionOp, TransitionResult } from '../types.ts'
import type { Connections } from './connections.ts'
import { faultOf, violates } from './errors.ts'
import { RESOURCE, toRow, type RawResource } from './rows.ts'

/*
 * Isolation and locking. Every write runs at READ COMMITTED: the locked path asks for it on
 * its BEGIN (a server or pooler may default to another level), and a single statement that a
 * stricter default makes fail with a serialization error counts as a missed compare-and-swap.
 *
 * A create is one statement (resource, first history entry, key record): atomic on its own.
 *
 * A transition first tries the row the caller read (`seen`): one statement whose UPDATE is a
 * compare-and-swap, `WHERE id = $1 AND version = $2`, with the history entry and the key record
 * inserted only from the row it returns. A concurrent writer of the same row makes it wait for
 * that writer's commit and then re-check the WHERE on the new row version: it no longer matches,
 * nothing is written, and the transition is decided again on a fresh row.
 *
 * That second, pessimistic try takes the row with SELECT … FOR UPDATE in an explicit transaction:
 * no other transaction can change the row until it commits, so what `decide` saw is what the
 * UPDATE changes, and the UPDATE cannot miss. Every writer of a resource row either matches its
 * version or holds its lock, and every write increments the version, so no update is lost and two
 * racing transitions cannot both be decided on the same version. The key record's primary key
 * makes a second claim of one key fail (and the whole statement with it) whichever path it takes.
 */

// Pipelined (see connections.ts): each pair is sent at once, so a locked transition costs two round trips.

/** The key record's columns, in the order `keyValues` lists them. */
const KEY_COLUMNS = 'principal, key, fingerprint, status, headers, body, at'

const keyValues = (key: KeyClaim, record: IdempotentRecord): unknown[] =>
  [key.principal, key.key, record.fingerprint, record.status, JSON.stringify(record.headers), Buffer.from(record.body, 'utf8')]

/** The key record to insert with a write, when the op claims a key and its answer keeps one. */
const claimOf = (key: KeyClaim | undefined, record: IdempotentRecord | undefined): unknown[] | undefined =>
  key !== undefined && record !== undefined ? keyValues(key, record) : undefined

/** Inserts a resource, its first history entry and (when given) its key's record: one statement. */
function createQuery(op: CreateOp<unknown>, claim: unknown[] | undefined): pg.QueryConfig {
  const r = op.row
  const values = [r.id, r.type, r.tenant, r.owner, r.state, JSON.stringify(r.data), r.at, r.actor]
  const insert = `INSERT INTO resources (id, type, tenant, owner, state, data, version, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)`
  const history = `INSERT INTO history (resource_id, seq, action, from_state, to_state, input, actor, at)
      VALUES ($1, 1, 'create', NULL, $5, $6, $8, $7)`
  if (claim === undefined) return { name: 'create', text: `WITH h AS (${history}) ${insert}`, values }
  return {
    name: 'create-keyed',
    text: `WITH r AS (${insert}), h AS (${history}) INSERT INTO idempotency (${KEY_COLUMNS}) VALUES ($9, $10, $11, $12, $13, $14, $7)`,
    values: [...values, ...claim],
  }
}

/** The compare-and-swap from `from.version`, with its history entry and key record written only when it matched. */
function casQuery(from: ResourceRow, change: Change, claim: unknown[] | undefined): pg.QueryConfig {
  const values = [from.id, from.version, change.to, JSON.stringify(change.data), change.at, change.action, from.state, JSON.stringify(change.input ?? null), change.actor]
  const cas = `u AS (UPDATE resources SET state = $3, data = $4, version = version + 1, updated_at = $5
      WHERE id = $1 AND version = $2 RETURNING version),
    h AS (INSERT INTO history (resource_id, seq, action, from_state, to_state, input, actor, at)
      SELECT $1::text, u.version, $6::text, $7::text, $3::text, $8::text, $9::text, $5::bigint FROM u)`
  if (claim === undefined) return { name: 'transition', text: `WITH ${cas} SELECT version FROM u`, values }
  return {
    name: 'transition-keyed',
    text: `WITH ${cas}, k AS (INSERT INTO idempotency (${KEY_COLUMNS})
      SELECT $10::text, $11::text, $12::text, $13::integer, $14::text, $15::bytea, $5::bigint FROM u) SELECT version FROM u`,
    values: [...values, ...claim],
  }
}

/** The row, locked; with whether the key is recorded already when the op claims one. */
const lockQuery = (id: string, key: KeyClaim | undefined): pg.QueryConfig => key === undefined
  ? { name: 'lock', text: `SELECT ${RESOURCE}, false AS key_taken FROM resources WHERE id = $1 FOR UPDATE`, values: [id] }
  : {
      name: 'lock-keyed',
      text: `SELECT ${RESOURCE}, EXISTS (SELECT 1 FROM idempotency WHERE principal = $2 AND key = $3) AS key_taken
        FROM resources WHERE id = $1 FOR UPDATE`,
      values: [id, key.principal, key.key],
    }

const KEY = 'idempotency_pkey'

// Seen as it came from the driver, or wrapped as a busy database (StoreUnavailable keeps it as its cause).
const serializationFailure = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === '40001' || (error instanceof Error && serializationFailure(error.cause))

/** Creates a resource: one statement, the answer built beforehand from the row it writes. */
export async function create<R>(db: Connections, op: CreateOp<R>): Promise<CreateResult<R>> {
  const answer = op.answer(createdRow(op.row))
  try {
    await db.query(createQuery(op, claimOf(op.key, answer.record)))
  } catch (error) {
    if (violates(error, KEY)) return { kind: 'key-taken' }
    throw error
  }
  return { kind: 'created', value: answer.value }
}

/** Applies a transition: on `seen` in one statement when that still holds, else under the row's lock. */
export async function transition<F, R>(db: Connections, op: TransitionOp<F, R>): Promise<TransitionResult<F, R>> {
  const seen = op.seen
  if (seen !== undefined) {
    const verdict = op.decide(seen)
    if (verdict.ok) {
      const row = changedRow(seen, verdict.change)
      const answer = op.answer(row, seen)
      try {
        const result = await db.query(casQuery(seen, verdict.change, claimOf(op.key, answer.record)))
        if (result.rows.length === 1) return { kind: 'moved', value: answer.value, from: seen, row }
      } catch (error) {
        // The key taken (told apart from a vanished row under the lock, as the SQLite store does),
        // or a serialization failure where the database defaults to a stricter level: decided again, locked.
        if (!violates(error, KEY) && !serializationFailure(error)) throw error
      }
    }
  }
  return locked(db, op)
}

/** The pessimistic path: BEGIN and SELECT … FOR UPDATE, decide on the fresh row, write and COMMIT. */
async function locked<F, R>(db: Connections, op: TransitionOp<F, R>): Promise<TransitionResult<F, R>> {
  const client = await db.connect()
  let broken: unknown
  try {
    const [, lock] = await Promise.all([client.query('BEGIN ISOLATION LEVEL READ COMMITTED'), client.query<RawResource & { key_taken: boolean }>(lockQuery(op.id, op.key))])
    const raw = lock.rows[0]
    if (raw === undefined) return await rollback(client, { kind: 'gone' })
    if (raw.key_taken) return await rollback(client, { kind: 'key-taken' })
    const fresh = toRow(raw)
    const verdict = op.decide(fresh)
    if (!verdict.ok) return await rollback(client, { kind: 'refused', refusal: verdict.refusal, fresh })
    const row = changedRow(fresh, verdict.change)
    const answer = op.answer(row, fresh)
    // The COMMIT goes with the write; after a failed write it only ends the aborted transaction.
    const [write, commit] = await Promise.allSettled([
      client.query(casQuery(fresh, verdict.change, claimOf(op.key, answer.record))),
      client.query('COMMIT'),
    ])
    if (write.status === 'rejected') {
      if (violates(write.reason, KEY)) return { kind: 'key-taken' }
      throw write.reason
    }
    if (commit.status === 'rejected') throw commit.reason
    if (write.value.rows.length !== 1) throw new Error(`The locked row ${op.id} did not take its transition.`)
    return { kind: 'moved', value: answer.value, from: fresh, row }
  } catch (error) {
    if (faultOf(error) === 'unreachable') broken = error
    else await client.query('ROLLBACK').catch((e: unknown) => { broken = e })
    throw db.failed(error)
  } finally {
    db.release(client, broken instanceof Error ? broken : undefined)
  }
}

async function rollback<T>(client: pg.PoolClient, result: T): Promise<T> {
  await client.query('ROLLBACK')
  return result
}
