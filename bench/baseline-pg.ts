import Router from '@koa/router'
import Koa from 'koa'
import pg from 'pg'
import getRawBody from 'raw-body'
import { createHash } from 'node:crypto'
import { bearer, body, problem, transitionRequest, transitionTarget, visible, type Caller, type Row } from './baseline-shape.ts'
import { listenForBench } from './listen.ts'

/**
 * The hand-written baseline on PostgreSQL: what `baseline.ts` does, through a `pg.Pool` of
 * `BENCH_POOL_SIZE` connections (10, as Affordance's) to `BENCH_DATABASE` (a postgres:// URL).
 * A request looks its token up (one query) and reads the row (one query); a transition then
 * takes one pooled client for BEGIN, the compare-and-swap, the history insert and COMMIT.
 */
const url = process.env.BENCH_DATABASE
if (url === undefined) throw new Error('BENCH_DATABASE names the database URL')

const INT8 = 20
// Versions and times are bigint columns: read as numbers, as the SQLite baseline gets them.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
}
const pool = new pg.Pool({ connectionString: url, max: Number(process.env.BENCH_POOL_SIZE ?? 10), types })

// Named, so that each connection prepares them once, as Affordance's store does.
const q = {
  token: 'SELECT user_id, tenant, roles FROM tokens WHERE hash = $1 AND revoked_at IS NULL',
  get: 'SELECT seq, id, type, tenant, owner, state, data, version FROM resources WHERE id = $1',
  cas: 'UPDATE resources SET state = $3, data = $4, version = version + 1, updated_at = $5 WHERE id = $1 AND version = $2',
  history: 'INSERT INTO history (resource_id, seq, action, from_state, to_state, input, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
} as const

async function first<T extends pg.QueryResultRow>(name: keyof typeof q, values: unknown[]): Promise<T | undefined> {
  return (await pool.query<T>({ name, text: q[name], values })).rows[0]
}

async function caller(ctx: Koa.Context): Promise<Caller | undefined> {
  const token = bearer(ctx)
  if (token === undefined) return undefined
  return first<Caller>('token', [createHash('sha256').update(token).digest('hex')])
}

/** The compare-and-swap and its history entry in one transaction; false when the row moved meanwhile. */
async function write(row: Row, to: string, action: string, input: unknown, actor: string): Promise<boolean> {
  const client = await pool.connect()
  let broken: Error | undefined
  try {
    await client.query('BEGIN')
    const at = Date.now()
    const cas = await client.query({ name: 'cas', text: q.cas, values: [row.id, row.version, to, row.data, at] })
    if (cas.rowCount === 0) {
      await client.query('ROLLBACK')
      return false
    }
    await client.query({ name: 'history', text: q.history, values: [row.id, row.version + 1, action, row.state, to, JSON.stringify(input), actor, at] })
    await client.query('COMMIT')
    return true
  } catch (error) {
    await client.query('ROLLBACK').catch((e: unknown) => { broken = e as Error })
    throw error
  } finally {
    client.release(broken)
  }
}

const router = new Router()

router.get('/bookmarks/:id', async (ctx) => {
  const who = await caller(ctx)
  if (who === undefined) return problem(ctx, 401, 'Unauthorized')
  const row = await first<Row>('get', [ctx.params.id])
  if (!visible(row, who)) return problem(ctx, 404, 'Not found')
  ctx.set('ETag', `"${row.version}"`)
  ctx.type = 'application/json'
  ctx.body = JSON.stringify(body(row))
})

router.post('/bookmarks/:id/:action', async (ctx) => {
  // The body is read while the token is looked up: read only afterwards, a request the client
  // has dropped meanwhile (as the load generator does at the end of a run) is no longer readable.
  const [who, raw] = await Promise.all([caller(ctx), getRawBody(ctx.req, { limit: 64 * 1024, encoding: 'utf8' })])
  if (who === undefined) return problem(ctx, 401, 'Unauthorized')
  const request = transitionRequest(ctx, raw)
  if (request === undefined) return
  const target = transitionTarget(ctx, await first<Row>('get', [ctx.params.id]), who, request)
  if (target === undefined) return
  const { row, to } = target
  if (!(await write(row, to, request.action, request.input, who.user_id))) return problem(ctx, 409, 'Lost a race')
  ctx.set('ETag', `"${row.version + 1}"`)
  ctx.type = 'application/json'
  ctx.body = JSON.stringify(body({ ...row, state: to, version: row.version + 1 }))
})

const app = new Koa()
app.use(router.routes())
listenForBench(app.callback(), () => pool.end())
