import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { until } from '../helpers/postgres.ts'
import { killAll, prepareDatabase, spawnServer, type ServerProcess, type SharedDatabase } from '../helpers/processes.ts'
import { send, type Reply, type RequestOptions } from '../helpers/server.ts'
import { selectedStore } from '../helpers/stores.ts'
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts'

// Three instances (processes) on one PostgreSQL schema, as behind a load balancer: what one
// writes, the others read at once; an Idempotency-Key holds across them; a revocation made
// anywhere (an instance, the command line) is refused everywhere on the very next request,
// even at an instance whose database answers late.
const test = suite('instances sharing one PostgreSQL schema')
const INSTANCES = 3
const LAG_MS = 100
let db: SharedDatabase
let servers: ServerProcess[] = []
let proxy: TcpProxy | undefined

const at = (i: number, method: string, path: string, o: RequestOptions = {}): Promise<Reply> =>
  send((servers[i] as ServerProcess).url, db.tokens, method, path, o)
const everyInstance = Array.from({ length: INSTANCES }, (_, i) => i)
const bookmarkBody = (name: string): object => ({ bookmark_url: `https://example.org/instances/${name}`, title: name })
const stored = async (name: string): Promise<number> =>
  (await db.rows<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM resources WHERE data LIKE ?', [`%"https://example.org/instances/${name}"%`]))[0]?.n ?? -1

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname
/** Runs `affordance token …` as an operator would, in a process of its own; resolves with its stdout once it has exited 0. */
function tokenCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { DATABASE_URL: _ignored, ...rest } = process.env
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', cli, 'token', ...args], { env: { ...rest, ...env }, timeout: 30_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout.trim())
      else reject(new Error(`token ${args[0] ?? ''} failed: ${error.message}\n${stderr}`))
    })
  })
}

/** GET /bookmarks with `token` at every instance, one after another; the statuses in instance order. */
const statusesWith = async (token: string, order: readonly number[] = everyInstance): Promise<number[]> => {
  const statuses: number[] = []
  for (const i of order) statuses.push((await at(i, 'GET', '/bookmarks', { token })).status)
  return statuses
}

if (selectedStore === 'postgres') {
  test.before(async () => {
    db = await prepareDatabase({ kind: 'postgres', demo: true })
    // The last instance reaches the database through a path that delays every answer (and notification) it gets.
    const far = new URL(db.database)
    proxy = await startTcpProxy({ host: far.hostname, port: Number(far.port || 5432) }, { lagMs: LAG_MS })
    far.port = String(proxy.port)
    servers = await Promise.all(everyInstance.map((i) => spawnServer(i === INSTANCES - 1 ? far.toString() : db.database, { demo: true })))
  })
  test.after(async () => {
    await killAll()
    await proxy?.close()
    await db.remove()
  })

  test('a write at one instance is read at once at the others, with the same ETag', async () => {
    assert.is(new Set(servers.map((s) => s.pid)).size, INSTANCES)
    const created = await at(0, 'POST', '/bookmarks', { as: 'north-reader', json: bookmarkBody('seen') })
    assert.is(created.status, 201)
    const url = created.headers.get('location') as string
    for (const i of [1, 2]) {
      const read = await at(i, 'GET', url, { as: 'north-reader' })
      assert.is(read.status, 200, `instance ${i}`)
      assert.is(read.headers.get('etag'), created.headers.get('etag'), `instance ${i}`)
    }
    const moved = await at(1, 'POST', `${url}/read`, { as: 'north-reader', headers: { 'if-match': created.headers.get('etag') as string } })
    assert.is(moved.status, 200)
    for (const i of [2, 0]) {
      const read = await at(i, 'GET', url, { as: 'north-reader' })
      assert.is(read.json.data.read_status, 'read', `instance ${i}`)
      assert.is(read.headers.get('etag'), moved.headers.get('etag'), `instance ${i}`)
    }
  })

  test('an Idempotency-Key used at one instance replays at the others, with one effect', async () => {
    const key = { 'idempotency-key': randomUUID() }
    const first = await at(0, 'POST', '/bookmarks', { as: 'north-reader', json: bookmarkBody('replayed'), headers: key })
    assert.is(first.status, 201)
    assert.is(first.headers.get('idempotent-replayed'), null)
    const url = first.headers.get('location') as string
    for (const i of [1, 2]) {
      const again = await at(i, 'POST', '/bookmarks', { as: 'north-reader', json: bookmarkBody('replayed'), headers: key })
      assert.is(again.status, 201, `instance ${i}`)
      assert.is(again.headers.get('idempotent-replayed'), 'true', `instance ${i}`)
      assert.is(again.headers.get('location'), url)
      assert.is(again.text, first.text)
    }
    assert.is(await stored('replayed'), 1)

    const readKey = { 'idempotency-key': randomUUID() }
    const read = await at(1, 'POST', `${url}/read`, { as: 'north-reader', headers: readKey })
    assert.is(read.status, 200)
    for (const i of [2, 0]) {
      const again = await at(i, 'POST', `${url}/read`, { as: 'north-reader', headers: readKey })
      assert.is(again.status, 200, `instance ${i}`)
      assert.is(again.headers.get('idempotent-replayed'), 'true')
      assert.is(again.text, read.text)
    }
    const history = await at(2, 'GET', `${url}/history`, { as: 'north-reader' })
    assert.equal(history.json.items.map((h: { action: string }) => h.action), ['create', 'read'])
  })

  test('a key still in flight at one instance answers 409 at another; the first then replays, one effect', async () => {
    // The first request is held, its key recorded but not committed, by a trigger waiting for an advisory lock this test holds.
    const lockKey = Math.floor(Math.random() * 2 ** 31)
    const holder = new pg.Client({ connectionString: db.database })
    await holder.connect()
    await holder.query('SELECT pg_advisory_lock($1)', [lockKey])
    await holder.query(`CREATE FUNCTION hold_key() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_xact_lock_shared(${lockKey}); RETURN NEW; END $$`)
    await holder.query('CREATE TRIGGER hold_key AFTER INSERT ON idempotency FOR EACH ROW EXECUTE FUNCTION hold_key()')
    const appName = new URL(db.database).searchParams.get('application_name')
    const waiting = async (event: string): Promise<boolean> => (await holder.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock' AND wait_event = $2", [appName, event])).rows[0]?.n === 1
    try {
      const key = { 'idempotency-key': randomUUID() }
      const post = (i: number): Promise<Reply> => at(i, 'POST', '/bookmarks', { as: 'north-reader', json: bookmarkBody('in-flight'), headers: key })
      const first = post(0)
      await until(() => waiting('advisory'), 'the first request to hold its key')
      const second = post(1)
      await until(() => waiting('transactionid'), 'the second request to meet the key held')
      await holder.query('SELECT pg_advisory_unlock($1)', [lockKey])
      const [one, two] = await Promise.all([first, second])
      assert.is(one.status, 201)
      assert.is(two.status, 409)
      assert.match(two.json.type, /request-in-flight$/)
      const replay = await post(2)
      assert.is(replay.status, 201)
      assert.is(replay.headers.get('idempotent-replayed'), 'true')
      assert.is(replay.text, one.text)
      assert.is(await stored('in-flight'), 1)
    } finally {
      await holder.query('DROP TRIGGER IF EXISTS hold_key ON idempotency')
      await holder.query('DROP FUNCTION IF EXISTS hold_key()')
      await holder.end()
    }
  })

  const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
  for (const signOutAt of everyInstance) {
    test(`signing out at instance ${signOutAt}: its token is refused at every instance on the next request`, async () => {
      const base = (servers[signOutAt] as ServerProcess).url
      const signedIn = await at(signOutAt, 'POST', '/session', { body: 'user=north-reader', headers: { ...FORM, origin: base } })
      assert.is(signedIn.status, 303, signedIn.text)
      const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string
      const token = cookie.slice(cookie.indexOf('=') + 1)
      // Every instance has looked the token up, and may remember it.
      assert.equal(await statusesWith(token), [200, 200, 200])
      const out = await at(signOutAt, 'POST', '/session/delete', { headers: { ...FORM, cookie, origin: base } })
      assert.is(out.status, 303)
      const others = everyInstance.filter((i) => i !== signOutAt)
      assert.equal(await statusesWith(token, [...others, signOutAt]), [401, 401, 401])
    })
  }

  for (const how of ['--database', 'DATABASE_URL'] as const) {
    test(`a token revoked by the command line (${how}) is refused at every instance on the next request`, async () => {
      const [flags, env] = how === '--database' ? [['--database', db.database], {}] : [[], { DATABASE_URL: db.database }]
      const token = await tokenCommand(['create', '--tenant', 'north', '--role', 'reader', ...flags], env)
      assert.match(token, /^aff_/)
      assert.equal(await statusesWith(token), [200, 200, 200])
      assert.match(await tokenCommand(['revoke', token, ...flags], env), /^Revoked token /)
      const refused = await Promise.all(everyInstance.map((i) => at(i, 'GET', '/bookmarks', { token })))
      assert.equal(refused.map((r) => r.status), [401, 401, 401])
      for (const r of refused) assert.match(r.headers.get('www-authenticate') ?? '', /invalid_token/)
    })
  }
}

test.run()
