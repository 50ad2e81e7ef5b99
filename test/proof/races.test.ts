import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { killAll, prepareDatabase, spawnServer, type ServerProcess, type SharedDatabase } from '../helpers/processes.ts'
import { send, type Reply } from '../helpers/server.ts'
import { selectedStore } from '../helpers/stores.ts'

// Several server processes on one database (the store STORE selects: an SQLite file in WAL
// mode, or one PostgreSQL schema): the compare-and-swap must hold across processes, not only
// across requests of one process.
const test = suite(`races across processes (${selectedStore})`)
const PROCESSES = 3
const RACERS = 50
let db: SharedDatabase
let servers: ServerProcess[] = []

test.before(async () => {
  db = await prepareDatabase()
  servers = await Promise.all(Array.from({ length: PROCESSES }, () => spawnServer(db.database)))
})
test.after(async () => {
  await killAll()
  await db.remove()
})

const on = (i: number): ServerProcess => servers[i % servers.length] as ServerProcess
const call = (i: number, method: string, path: string, o: Parameters<typeof send>[4] = {}): Promise<Reply> => send(on(i).url, db.tokens, method, path, o)

interface Row { action: string; from: string | null; to: string; seq: number }

async function historyOf(url: string): Promise<Row[]> {
  const h = await call(0, 'GET', `${url}/history`, { as: 'north-admin' })
  assert.is(h.status, 200)
  return h.json.items as Row[]
}

/** Each row starts where the previous one ended; seq counts from 1 without gaps. */
function assertChains(rows: readonly Row[]): void {
  rows.forEach((row, i) => {
    assert.is(row.seq, i + 1)
    assert.is(row.from, i === 0 ? null : rows[i - 1]?.to)
  })
}

test(selectedStore === 'sqlite' ? 'every process runs on the one WAL file with synchronous=FULL' : 'every process runs on PostgreSQL', () => {
  assert.is(new Set(servers.map((s) => s.pid)).size, PROCESSES)
  for (const s of servers) {
    assert.is(s.store, selectedStore)
    assert.is(s.journalMode, selectedStore === 'sqlite' ? 'wal' : undefined)
    assert.is(s.synchronous, selectedStore === 'sqlite' ? 2 : undefined)
  }
})

test(`${RACERS} identical transitions with one If-Match over ${PROCESSES} processes: one wins`, async () => {
  const created = await call(0, 'POST', '/visits', { as: 'north-dispatcher', json: { patient: 'P', address: 'A', scheduled_for: '2026-12-01T09:00:00Z' } })
  assert.is(created.status, 201)
  const url = created.headers.get('location') as string
  const etag = created.headers.get('etag') as string
  const replies = await Promise.all(Array.from({ length: RACERS }, (_, i) =>
    call(i, 'POST', `${url}/assign`, { as: 'north-dispatcher', json: { clinician_id: 'north-clinician-1' }, headers: { 'if-match': etag } })))
  const statuses = replies.map((r) => r.status)
  assert.is(statuses.filter((s) => s >= 200 && s < 300).length, 1, statuses.join(','))
  assert.ok(statuses.every((s) => s === 200 || s === 412 || s === 409), statuses.join(','))
  const rows = await historyOf(url)
  assert.equal(rows.map((r) => r.action), ['create', 'assign'])
  assertChains(rows)
  for (let i = 0; i < PROCESSES; i++) {
    const now = await call(i, 'GET', url, { as: 'north-dispatcher' })
    assert.is(now.json.data.status, 'assigned')
    assert.ok((now.headers.get('etag') as string).startsWith(`"${rows.length}-`), 'version equals the history count')
  }
})

test('a chain of races: each round one winner, the history chains, version = history count', async () => {
  const created = await call(1, 'POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/chain', title: 'Chain' } })
  const url = created.headers.get('location') as string
  let etag = created.headers.get('etag') as string
  for (const action of ['read', 'reread', 'archive', 'queue', 'read']) {
    const replies = await Promise.all(Array.from({ length: RACERS }, (_, i) => call(i, 'POST', `${url}/${action}`, { as: 'north-reader', headers: { 'if-match': etag } })))
    const winners = replies.filter((r) => r.status === 200)
    assert.is(winners.length, 1, `${action}: ${replies.map((r) => r.status).join(',')}`)
    assert.ok(replies.every((r) => r.status === 200 || r.status === 412 || r.status === 409))
    etag = winners[0]?.headers.get('etag') as string
  }
  const rows = await historyOf(url)
  assert.equal(rows.map((r) => r.action), ['create', 'read', 'reread', 'archive', 'queue', 'read'])
  assertChains(rows)
  assert.ok(etag.startsWith(`"${rows.length}-`))
})

test(`${RACERS} identical transitions without If-Match over ${PROCESSES} processes: one wins, the rest 409`, async () => {
  const created = await call(2, 'POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/unconditional', title: 'Unconditional' } })
  const url = created.headers.get('location') as string
  const replies = await Promise.all(Array.from({ length: RACERS }, (_, i) => call(i, 'POST', `${url}/read`, { as: 'north-reader' })))
  const statuses = replies.map((r) => r.status)
  assert.is(statuses.filter((s) => s === 200).length, 1, statuses.join(','))
  assert.is(statuses.filter((s) => s === 409).length, RACERS - 1, statuses.join(','))
  const rows = await historyOf(url)
  assert.equal(rows.map((r) => r.action), ['create', 'read'])
  assertChains(rows)
})

test(`${RACERS} concurrent creates over ${PROCESSES} processes all land`, async () => {
  const replies = await Promise.all(Array.from({ length: RACERS }, (_, i) =>
    call(i, 'POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: `https://example.org/create/${i}`, title: `Create ${i}` } })))
  assert.ok(replies.every((r) => r.status === 201), replies.map((r) => r.status).join(','))
  const urls = new Set(replies.map((r) => r.headers.get('location')))
  assert.is(urls.size, RACERS)
  // The rows as stored, read past the server: `data` is JSON text in both stores.
  const like = ['%"https://example.org/create/%']
  const stored = await db.rows<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM resources WHERE data LIKE ?', like)
  assert.is(stored[0]?.n, RACERS)
  const creates = await db.rows<{ n: number }>("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM history h JOIN resources r ON r.id = h.resource_id WHERE h.action = 'create' AND r.data LIKE ?", like)
  assert.is(creates[0]?.n, RACERS)
  for (const url of urls) {
    const r = await call(2, 'GET', url as string, { as: 'north-reader' })
    assert.is(r.status, 200)
  }
})

test.run()
