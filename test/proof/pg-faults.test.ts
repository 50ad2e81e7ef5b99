import pg from 'pg'
import { setTimeout as sleep } from 'node:timers/promises'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startThrowawayCluster, type ThrowawayCluster } from '../helpers/pg-cluster.ts'
import { until } from '../helpers/postgres.ts'
import { killAll, killServer, prepareDatabase, spawnServe, spawnServer, type ChildServer, type ServerProcess, type SharedDatabase } from '../helpers/processes.ts'
import { selectedStore } from '../helpers/stores.ts'

// Served instances on a PostgreSQL server of their own that the test stops, crashes and
// restarts, or whose connections it holds: every answer is a normal one or a 503 with
// Retry-After, never a 500 and never a hang, and service comes back without restarting them.
const test = suite('PostgreSQL faults under served instances')
// A bound on each request: a hang fails the test instead of stalling it.
const BOUND_MS = 5000
const DOWN_MS = 2000
const figures = process.env.FIGURES === '1'
let cluster: ThrowawayCluster
let db: SharedDatabase
let servers: ServerProcess[] = []

type Phase = 'up' | 'down' | 'back'
interface Answer {
  readonly what: string
  readonly status?: number
  readonly retryAfter?: string | null
  readonly type?: string | null
  readonly problemStatus?: unknown
  readonly error?: string
}
type Outcome = Answer & { readonly instance: number; readonly phase: Phase }

/** One request, bounded: its status and what an error answer must carry, or the error that ended it. */
async function ask(base: string, token: string, method: string, path: string, json?: unknown, boundMs = BOUND_MS): Promise<Answer> {
  const what = `${method} ${path}`
  try {
    const r = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(json !== undefined && { 'content-type': 'application/json' }) },
      ...(json !== undefined && { body: JSON.stringify(json) }),
      signal: AbortSignal.timeout(boundMs),
    })
    const text = await r.text()
    const type = r.headers.get('content-type')
    const problemStatus = type?.startsWith('application/problem+json') === true ? (JSON.parse(text) as { status?: unknown }).status : undefined
    return { what, status: r.status, retryAfter: r.headers.get('retry-after'), type, problemStatus }
  } catch (error) {
    return { what, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
  }
}

/** A 503 as a client may rely on: a problem whose status matches, and when to try again. */
const isUnavailable = (a: Answer): boolean =>
  a.status === 503 && /^\d+$/.test(a.retryAfter ?? '') && a.type?.startsWith('application/problem+json') === true && a.problemStatus === 503
/** A normal answer: success or a client error, never a server error. */
const isNormal = (a: Answer): boolean => a.status !== undefined && a.status >= 200 && a.status < 500
const serving = async (s: ChildServer, token: string, path: string): Promise<boolean> =>
  (await ask(s.url, token, 'GET', '/ready')).status === 200 && (await ask(s.url, token, 'GET', path)).status === 200

/** What every instance must show after a fault: still the same process, and nothing left unhandled. */
function assertSurvived(list: readonly ChildServer[]): void {
  for (const s of list) {
    assert.is(s.child.exitCode, null, `instance ${s.pid} still runs`)
    assert.is(s.child.signalCode, null)
    assert.not.match(s.output(), /unhandled|uncaught/i)
  }
}

if (selectedStore === 'postgres') {
  test.before(async () => {
    cluster = await startThrowawayCluster()
    db = await prepareDatabase({ url: cluster.url })
    servers = await Promise.all([0, 1].map(() => spawnServer(db.database)))
  })
  test.after(async () => {
    await killAll()
    await cluster?.destroy()
  })

  for (const mode of ['fast', 'immediate', 'kill'] as const) {
    test(`the server ${mode === 'kill' ? 'killed' : `stopped (${mode})`} under a trickle: 503 + Retry-After or a normal answer, never a 500 or a hang; then both instances serve again unrestarted`, async () => {
      const token = db.tokens['north-reader'] as string
      const created = await ask((servers[0] as ServerProcess).url, token, 'POST', '/bookmarks', { bookmark_url: `https://example.org/${mode}`, title: mode })
      assert.is(created.status, 201)
      const item = (await (await fetch(`${(servers[0] as ServerProcess).url}/bookmarks?limit=1`, { headers: { authorization: `Bearer ${token}` } })).json() as { items: { url: string }[] }).items[0]?.url as string
      const outcomes: Outcome[] = []
      let phase: Phase = 'up'
      let stopped = false
      const requests: readonly [string, string, unknown?][] = [['GET', item], ['POST', '/bookmarks', { bookmark_url: 'https://example.org/trickle', title: 'Trickle' }], ['GET', '/bookmarks?limit=5']]
      const trickle = async (s: ServerProcess, instance: number): Promise<void> => {
        for (let n = 0; !stopped; n++) {
          const [method, path, json] = requests[n % requests.length] as [string, string, unknown?]
          const sent = phase
          outcomes.push({ ...(await ask(s.url, token, method, path, json)), instance, phase: sent })
          await sleep(25)
        }
      }
      const count = (instance: number, p: Phase, test: (a: Answer) => boolean): number => outcomes.filter((o) => o.instance === instance && o.phase === p && test(o)).length
      const load = Promise.all(servers.map(trickle))
      try {
        await until(() => servers.every((_, i) => count(i, 'up', (a) => a.status === 200 || a.status === 201) >= 6), 'the trickle to be served')
        phase = 'down'
        if (mode === 'kill') await cluster.kill()
        else await cluster.stop(mode)
        await until(async () => (await Promise.all(servers.map((s) => ask(s.url, token, 'GET', '/ready')))).every(isUnavailable), 'every instance to report itself unready')
        await sleep(DOWN_MS)
        await cluster.start()
        phase = 'back'
        const restarted = Date.now()
        await until(async () => (await Promise.all(servers.map((s) => serving(s, token, item)))).every(Boolean), 'both instances to serve again', 30_000)
        const recoveryMs = Date.now() - restarted
        await until(() => servers.every((_, i) => count(i, 'back', (a) => a.status === 200 || a.status === 201) >= 6), 'the trickle to be served again')
        if (figures) {
          const unavailable = outcomes.filter(isUnavailable).length
          console.log(`  ${mode}: ${outcomes.length} answers, ${unavailable} of them 503 (${outcomes.filter((o) => o.phase === 'down').length} sent while down), serving again ${recoveryMs} ms after the server was`)
        }
      } finally {
        stopped = true
        await load
      }
      const failed = outcomes.filter((o) => !isNormal(o) && !isUnavailable(o))
      assert.equal(failed, [], 'every answer is a normal one or a 503 with Retry-After as a problem; none failed or hung')
      for (const i of [0, 1]) assert.ok(count(i, 'down', isUnavailable) > 0, `instance ${i} answered 503 while the server was down`)
      assertSurvived(servers)
    })
  }

  /** A connection that holds every row of `resources` until released: whatever reads or writes them waits. */
  async function holdResources(): Promise<{ waiting: () => Promise<number>; release: () => Promise<void> }> {
    const holder = new pg.Client({ connectionString: db.database })
    await holder.connect()
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE resources IN ACCESS EXCLUSIVE MODE')
    let released = false
    return {
      waiting: async () => (await holder.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()")).rows[0]?.n ?? -1,
      async release() {
        if (released) return
        released = true
        await holder.query('ROLLBACK')
        await holder.end()
      },
    }
  }

  const POOL = 2
  const QUEUE = 4 * POOL
  const BURST = 30
  for (const { timeoutMs, refused } of [{ timeoutMs: 60_000, refused: BURST - POOL - QUEUE }, { timeoutMs: 300, refused: BURST - POOL }]) {
    const name = timeoutMs > BOUND_MS
      ? `a pool of ${POOL} held by slow work: the ${refused} requests beyond it and its queue of ${QUEUE} answer 503 + Retry-After at once, the queued ones wait`
      : `a pool of ${POOL} held by slow work, DATABASE_POOL_TIMEOUT_MS=${timeoutMs}: the queued requests answer 503 + Retry-After too once their wait is over`
    test(`${name}; all recover when the work ends`, async () => {
      const server = await spawnServe(['--no-demo'], { DATABASE_URL: db.database, DATABASE_POOL_SIZE: String(POOL), DATABASE_POOL_TIMEOUT_MS: String(timeoutMs), LOG_LEVEL: 'warn' })
      const token = db.tokens['north-reader'] as string
      try {
        // Written and read before the lock is taken: the token is looked up then, and remembered.
        const created = await ask(server.url, token, 'POST', '/bookmarks', { bookmark_url: 'https://example.org/pool', title: 'Pool' })
        assert.is(created.status, 201)
        const item = (await (await fetch(`${server.url}/bookmarks?limit=1`, { headers: { authorization: `Bearer ${token}` } })).json() as { items: { url: string }[] }).items[0]?.url as string
        assert.is((await ask(server.url, token, 'GET', item)).status, 200)

        const hold = await holdResources()
        const settled: Answer[] = []
        const burst = Array.from({ length: BURST }, () => ask(server.url, token, 'GET', item, undefined, 20_000).then((a) => { settled.push(a) }))
        try {
          await until(() => settled.length >= refused, `${refused} requests to be refused`)
          assert.is(settled.length, refused, 'the others wait for the lock, or for a connection')
          for (const a of settled) assert.ok(isUnavailable(a) && a.retryAfter === '1', JSON.stringify(a))
          assert.is(await hold.waiting(), POOL, 'each pooled connection waits for the lock')
        } finally {
          await hold.release()
        }
        await Promise.all(burst)
        assert.equal(settled.slice(refused).map((a) => a.status), Array.from({ length: BURST - refused }, () => 200))
        assert.is((await ask(server.url, token, 'GET', item)).status, 200)
        assert.is((await ask(server.url, token, 'GET', '/ready')).status, 200)
        assertSurvived([server])
      } finally {
        await killServer(server)
      }
    })
  }
}

test.run()
