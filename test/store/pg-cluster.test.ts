import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import pg from 'pg'
import { startThrowawayCluster, type ThrowawayCluster } from '../helpers/pg-cluster.ts'

// The throwaway cluster that fault tests stop and crash: it must come back with its data, and leave nothing behind.
const test = suite('throwaway PostgreSQL cluster')
let cluster: ThrowawayCluster

async function query(sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 5_000 })
  await client.connect()
  try {
    return (await client.query(sql)).rows
  } finally {
    await client.end()
  }
}
/** The error code `query` fails with, or 'connected'. */
const refusal = (): Promise<string> => query('SELECT 1').then(() => 'connected', (error: NodeJS.ErrnoException) => error.code ?? String(error))
const notes = async (): Promise<string[]> => (await query('SELECT note FROM kept ORDER BY id')).map((row) => (row as { note: string }).note)
const running = (pid: number): boolean => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')
  } catch {
    return false
  }
}
/** The ids of the System V shared memory segments that exist now. */
const segments = (): string[] => readFileSync('/proc/sysvipc/shm', 'utf8').split('\n').slice(1).map((line) => line.trim().split(/\s+/)[1] ?? '')
/** Waits (at most 5 s) for a SIGKILLed process to be gone, and says whether it is. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 250 && running(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20))
  return !running(pid)
}

test.before(async () => { cluster = await startThrowawayCluster({ settings: { max_connections: 20 } }) })
test.after(async () => { await cluster.destroy() })

test('listens on 127.0.0.1 at its own port, with the settings asked for', async () => {
  assert.is(cluster.url, `postgres://postgres@127.0.0.1:${cluster.port}/postgres`)
  assert.is.not(cluster.port, 5432)
  assert.equal(await query("SELECT current_setting('max_connections') AS max, current_setting('listen_addresses') AS listen"), [{ max: '20', listen: '127.0.0.1' }])
  await query('CREATE TABLE kept (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text NOT NULL)')
  await query("INSERT INTO kept (note) VALUES ('before stop')")
})

test('fast stop: connections are refused; start: the same port, the data kept', async () => {
  await cluster.stop('fast')
  assert.is(cluster.pid, undefined)
  assert.is(await refusal(), 'ECONNREFUSED')
  await cluster.start()
  assert.equal(await notes(), ['before stop'])
})

test('kill: the postmaster and its children are gone, connections refused; start recovers committed rows', async () => {
  await query("INSERT INTO kept (note) VALUES ('before kill')")
  const postmaster = cluster.pid as number
  const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number)
  assert.ok(children.length >= 3, `workers of ${postmaster}: ${children.join(',')}`)
  await cluster.kill()
  assert.not.ok(running(postmaster))
  assert.equal(children.filter(running), [])
  assert.is(await refusal(), 'ECONNREFUSED')
  await cluster.start()
  assert.is.not(cluster.pid, postmaster)
  assert.equal(await notes(), ['before stop', 'before kill'])
  assert.match(readFileSync(`${cluster.dir}/server.log`, 'utf8'), 'database system was interrupted')
})

test('immediate stop: start runs crash recovery and keeps committed rows', async () => {
  await query("INSERT INTO kept (note) VALUES ('before immediate')")
  await cluster.stop('immediate')
  assert.is(await refusal(), 'ECONNREFUSED')
  await cluster.start()
  assert.equal(await notes(), ['before stop', 'before kill', 'before immediate'])
})

test('destroy: no process and no folder left', async () => {
  const other = await startThrowawayCluster()
  const pid = other.pid as number
  assert.ok(running(pid))
  await other.destroy()
  assert.not.ok(running(pid))
  assert.not.ok(existsSync(other.dir))
})

test('destroy after kill: no process, no folder, no shared memory segment left', async () => {
  const other = await startThrowawayCluster()
  const pid = other.pid as number
  // Line 7 of postmaster.pid: the System V key and id of the server's segment, which a crash leaves behind.
  const shmid = readFileSync(`${other.dir}/data/postmaster.pid`, 'utf8').split('\n')[6]?.trim().split(/\s+/)[1] as string
  assert.ok(segments().includes(shmid), shmid)
  await other.kill()
  assert.ok(segments().includes(shmid))
  await other.destroy()
  assert.not.ok(running(pid))
  assert.not.ok(existsSync(other.dir))
  assert.not.ok(segments().includes(shmid))
})

test('a process that exits without destroy() leaves no server and no folder behind', async () => {
  const helper = new URL('../helpers/pg-cluster.ts', import.meta.url).href
  const script = `const { startThrowawayCluster } = await import(${JSON.stringify(helper)})
const c = await startThrowawayCluster()
console.log(JSON.stringify({ pid: c.pid, dir: c.dir }))
process.exit(0)`
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 })
  const left = JSON.parse(out.trim().split('\n').pop() as string) as { pid: number; dir: string }
  assert.ok(left.pid > 0)
  assert.ok(await gone(left.pid))
  assert.not.ok(existsSync(left.dir))
})

test.run()
