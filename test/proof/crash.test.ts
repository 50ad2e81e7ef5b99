import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { random, seedFrom } from '../helpers/random.ts'
import { killAll, killServer, prepareDatabase, spawnServer, type ServerProcess, type SharedDatabase } from '../helpers/processes.ts'
import { selectedStore } from '../helpers/stores.ts'

// A server under write load is killed with SIGKILL at random moments and restarted on the
// same database (the store STORE selects): whatever it acknowledged with a 2xx must survive every crash.
const test = suite(`crashes (${selectedStore})`)
const DEEP = process.env.DEEP === '1'
const KILLS = DEEP ? 80 : 20
const WORKERS = 10
const BUDGET_MS = DEEP ? 240_000 : 60_000
let db: SharedDatabase

test.before(async () => { db = await prepareDatabase() })
test.after(async () => {
  await killAll()
  await db.remove()
})

interface Ack { readonly id: string; readonly seq: number; readonly action: string; readonly to: string }

/** How a worker walks one type: its create body and, from each state, the next action and input (none: start a new one). */
interface Walk { readonly collection: string; readonly create: object; readonly stateField: string; next(state: string, rand: () => number): [string, object] | undefined }

const walks: readonly Walk[] = [
  {
    collection: 'bookmarks', create: { bookmark_url: 'https://example.org/crash', title: 'Crash' }, stateField: 'read_status',
    next: (state, rand) => ({ queued: [rand() < 0.5 ? 'read' : 'archive', {}], read: ['reread', {}], archived: ['queue', {}] } as Record<string, [string, object]>)[state],
  },
  {
    collection: 'visits', create: { patient: 'P', address: 'A', scheduled_for: '2026-12-01T09:00:00Z' }, stateField: 'status',
    next: (state) => ({ scheduled: ['assign', { clinician_id: 'north-clinician-1' }], assigned: ['depart', {}], en_route: ['check-in', { lat: 1, lon: 2 }], on_site: ['check-out', { notes: 'n' }] } as Record<string, [string, object]>)[state],
  },
]

class Killed extends Error {}

/** On SQLite, each restarted process runs in WAL mode with synchronous=FULL (PostgreSQL's durability is the server's). */
function assertDurable(server: ServerProcess): void {
  assert.is(server.store, selectedStore)
  if (server.store !== 'sqlite') return
  assert.is(server.synchronous, 2, 'synchronous is FULL after restart')
  assert.is(server.journalMode, 'wal')
}

/** One client: creates resources and walks them through their machine with If-Match, until the server dies. */
async function worker(server: ServerProcess, token: string, acks: Ack[], rand: () => number, stop: { now: boolean }): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  // Only a request cut off by the kill may fail; any answer but the expected one is a real failure.
  const post = async (path: string, body: object, etag?: string): Promise<{ status: number; etag: string; location: string; json: Record<string, Record<string, string>> }> => {
    try {
      const r = await fetch(`${server.url}${path}`, { method: 'POST', headers: { ...headers, ...(etag !== undefined && { 'if-match': etag }) }, body: JSON.stringify(body) })
      return { status: r.status, etag: r.headers.get('etag') ?? '', location: r.headers.get('location') ?? '', json: await r.json() as Record<string, Record<string, string>> }
    } catch (error) {
      throw stop.now ? new Killed() : error
    }
  }
  try {
    while (!stop.now) {
      const walk = walks[Math.floor(rand() * walks.length)] as Walk
      const created = await post(`/${walk.collection}`, walk.create)
      if (created.status !== 201) throw new Error(`create answered ${created.status}`)
      const id = created.location.split('/').pop() as string
      let state = created.json.data?.[walk.stateField] as string
      acks.push({ id, seq: 1, action: 'create', to: state })
      let etag = created.etag
      for (let step = walk.next(state, rand); step !== undefined && !stop.now; step = walk.next(state, rand)) {
        const [action, input] = step
        const r = await post(`${created.location}/${action}`, input, etag)
        if (r.status !== 200) throw new Error(`${action} answered ${r.status}`)
        etag = r.etag
        state = r.json.data?.[walk.stateField] as string
        acks.push({ id, seq: Number(/^"(\d+)-/.exec(etag)?.[1]), action, to: state })
      }
    }
  } catch (error) {
    if (!(error instanceof Killed)) throw error
  }
}

test(`${KILLS} SIGKILLs under write load lose no acknowledged write`, async () => {
  const seed = seedFrom('CRASH_SEED')
  const rand = random(seed)
  const acks: Ack[] = []
  const started = Date.now()
  let kills = 0
  while (kills < KILLS) {
    assert.ok(Date.now() - started < BUDGET_MS, `only ${kills} kills within the time budget (seed ${seed})`)
    const server = await spawnServer(db.database)
    assertDurable(server)
    const stop = { now: false }
    const before = acks.length
    const load = Promise.all(Array.from({ length: WORKERS }, () => worker(server, db.tokens['north-admin'] as string, acks, rand, stop)))
    // Kill at a random moment, but only once writes are being acknowledged.
    while (acks.length === before) await new Promise((r) => setTimeout(r, 5))
    await new Promise((r) => setTimeout(r, 10 + rand() * 200))
    stop.now = true
    await killServer(server)
    kills++
    await load
  }
  if (db.kind === 'sqlite') assert.equal(await db.rows('PRAGMA integrity_check'), [{ integrity_check: 'ok' }])
  const stored = new Map((await db.rows<{ id: string; seq: number; action: string; to: string }>('SELECT resource_id AS id, seq, action, to_state AS "to" FROM history'))
    .map((r) => [`${r.id}/${Number(r.seq)}`, r]))
  const lost = acks.filter((a) => {
    const found = stored.get(`${a.id}/${a.seq}`)
    return found === undefined || found.action !== a.action || found.to !== a.to
  })
  assert.is(lost.length, 0, `${lost.length} of ${acks.length} acknowledged writes lost (seed ${seed}), e.g. ${JSON.stringify(lost.slice(0, 3))}`)
  const broken = await db.rows(`SELECT r.id FROM resources r WHERE r.version != (SELECT MAX(seq) FROM history h WHERE h.resource_id = r.id)
    OR r.state != (SELECT to_state FROM history h WHERE h.resource_id = r.id ORDER BY seq DESC LIMIT 1)
    OR EXISTS (SELECT 1 FROM history a JOIN history b ON a.resource_id = b.resource_id AND b.seq = a.seq + 1 WHERE a.resource_id = r.id AND b.from_state != a.to_state)`)
  assert.equal(broken, [], 'every resource: version = last seq, state = last to, history chains')
  assert.ok(acks.length > KILLS * WORKERS, `the load wrote (${acks.length} acknowledged writes)`)
  const last = await spawnServer(db.database)
  assertDurable(last)
  await killServer(last)
})

test.run()
