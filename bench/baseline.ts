import Router from '@koa/router'
import Database from 'better-sqlite3'
import Koa from 'koa'
import getRawBody from 'raw-body'
import { createHash } from 'node:crypto'
import { bearer, body, problem, transitionRequest, transitionTarget, visible, type Caller, type Row } from './baseline-shape.ts'
import { listenForBench } from './listen.ts'

/**
 * The hand-written baseline: the same bookmark rows, token lookup, JSON shape and
 * compare-and-swap + history insert as Affordance, with none of its machinery.
 * `BENCH_DATABASE` names the file, `BENCH_SYNCHRONOUS` is FULL (default) or NORMAL.
 */
const file = process.env.BENCH_DATABASE
if (file === undefined) throw new Error('BENCH_DATABASE names the database file')
const db = new Database(file)
db.pragma('journal_mode = WAL')
db.pragma(`synchronous = ${process.env.BENCH_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL'}`)

const q = {
  token: db.prepare('SELECT user_id, tenant, roles FROM tokens WHERE hash = ? AND revoked_at IS NULL'),
  get: db.prepare('SELECT * FROM resources WHERE id = ?'),
  list: db.prepare('SELECT * FROM resources WHERE type = ? AND tenant = ? AND owner = ? AND seq > ? ORDER BY seq LIMIT ?'),
  cas: db.prepare('UPDATE resources SET state = ?, data = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?'),
  history: db.prepare('INSERT INTO history (resource_id, seq, action, from_state, to_state, input, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
}

function caller(ctx: Koa.Context): Caller | undefined {
  const token = bearer(ctx)
  if (token === undefined) return undefined
  return q.token.get(createHash('sha256').update(token).digest('hex')) as Caller | undefined
}

const router = new Router()

router.get('/bookmarks', (ctx) => {
  const who = caller(ctx)
  if (who === undefined) return problem(ctx, 401, 'Unauthorized')
  const after = Number(ctx.query.after ?? 0)
  if (!Number.isSafeInteger(after) || after < 0) return problem(ctx, 400, 'Bad cursor')
  const rows = q.list.all('bookmark', who.tenant, who.user_id, after, 21) as Row[]
  const shown = rows.slice(0, 20)
  const out: Record<string, unknown> = { url: '/bookmarks', items: shown.map(body) }
  const last = shown[shown.length - 1]
  if (rows.length > 20 && last !== undefined) out.next_url = `/bookmarks?after=${last.seq}`
  out.create_url = '/bookmarks'
  ctx.type = 'application/json'
  ctx.body = JSON.stringify(out)
})

router.get('/bookmarks/:id', (ctx) => {
  const who = caller(ctx)
  if (who === undefined) return problem(ctx, 401, 'Unauthorized')
  const row = q.get.get(ctx.params.id) as Row | undefined
  if (!visible(row, who)) return problem(ctx, 404, 'Not found')
  ctx.set('ETag', `"${row.version}"`)
  ctx.type = 'application/json'
  ctx.body = JSON.stringify(body(row))
})

router.post('/bookmarks/:id/:action', async (ctx) => {
  const who = caller(ctx)
  if (who === undefined) return problem(ctx, 401, 'Unauthorized')
  const request = transitionRequest(ctx, await getRawBody(ctx.req, { limit: 64 * 1024, encoding: 'utf8' }))
  if (request === undefined) return
  const written = db.transaction(() => {
    const target = transitionTarget(ctx, q.get.get(ctx.params.id) as Row | undefined, who, request)
    if (target === undefined) return undefined
    const { row, to } = target
    const at = Date.now()
    if (q.cas.run(to, row.data, at, row.id, row.version).changes === 0) return problem(ctx, 409, 'Lost a race')
    q.history.run(row.id, row.version + 1, request.action, row.state, to, JSON.stringify(request.input), who.user_id, at)
    return { ...row, state: to, version: row.version + 1 }
  }).immediate()
  if (written === undefined) return
  ctx.set('ETag', `"${written.version}"`)
  ctx.type = 'application/json'
  ctx.body = JSON.stringify(body(written))
})

const app = new Koa()
app.use(router.routes())
listenForBench(app.callback(), () => db.close())
