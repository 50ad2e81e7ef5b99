import Database from 'better-sqlite3'
import { execFileSync, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { listeningUrl, prepareDatabase, type SharedDatabase } from '../helpers/processes.ts'

// SIGTERM sent to the PID of `npm start`, as a container runtime or a process manager sends
// it, under write load: the server drains, every acknowledged write is on disk, nothing is
// left running, and npm exits 0.
const test = suite('npm start, stopped by SIGTERM to its PID')
const root = new URL('../..', import.meta.url).pathname
// The outer `npm test` must not leak its settings (prefix, script name) into the inner npm.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'INIT_CWD'))
let db: SharedDatabase | undefined
let group: number | undefined

test.before(() => {
  // `npm start` runs the compiled server: compile the sources under test first (incremental, quick when nothing changed).
  execFileSync('npm', ['run', 'build'], { cwd: root, env, stdio: 'pipe', timeout: 120_000 })
})
test.after(async () => {
  if (group !== undefined) signalGroup(group, 'SIGKILL')
  await db?.remove()
})

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {
    // Nobody left in the group.
  }
}

/** Live processes (not zombies) of a process group, from /proc. */
function groupMembers(pgid: number): { pid: number; command: string }[] {
  const members: { pid: number; command: string }[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last one.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(pgrp) !== pgid || state === 'Z') continue
      members.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() })
    } catch {
      // The process ended while we looked.
    }
  }
  return members
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

type Answer =
  | { readonly status: number; readonly connection: string; readonly retryAfter: string; readonly body: string; readonly type: string }
  | { readonly error: string }
/** An answer, and whether it came after the signal was sent (one that came before was surely served in full). */
type Outcome = Answer & { readonly afterSignal: boolean }

test('drains under write load, keeps every acknowledged write, exits 0 and leaves no process', async () => {
  // The file is read directly below.
  db = await prepareDatabase({ kind: 'sqlite' })
  const child = spawn('npm', ['start'], {
    cwd: root,
    // A group of its own, to find every process npm starts and to be sure none outlives it; the signal goes to npm's PID alone.
    detached: true,
    env: { ...env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: db.database, RATE_LIMIT_BURST: '1000000', RATE_LIMIT_PER_SECOND: '1000000', SHUTDOWN_TIMEOUT_MS: '8000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  group = child.pid as number
  const started = listeningUrl(child, 30_000)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const url = await started.url
  const server = groupMembers(group).find((p) => p.command.includes('main.js serve'))
  assert.ok(server, `the server runs in npm's process group: ${JSON.stringify(groupMembers(group))}`)

  const { port } = new URL(url)
  const agent = new Agent({ keepAlive: true, maxSockets: 48 })
  const token = (db as SharedDatabase).tokens['north-reader'] as string
  let signalled = false
  const outcomes: Outcome[] = []
  const send = (method: string, path: string, body?: string): Promise<Outcome> => new Promise<Answer>((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, timeout: 5000, headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) } }, (res) => {
      let text = ''
      res.on('data', (d: Buffer) => (text += d.toString()))
      res.on('error', (error) => resolve({ error: error.message }))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection ?? '', retryAfter: String(res.headers['retry-after'] ?? ''), body: text, type: res.headers['content-type'] ?? '' }))
    })
    // A reply that never comes is a failure of its own, told apart from a closed connection.
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')))
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    req.end(body)
  }).then((answer) => {
    const o = { ...answer, afterSignal: signalled }
    outcomes.push(o)
    return o
  })

  const created: string[] = []
  const read: string[] = []
  const deadline = Date.now() + 15_000
  // Each worker creates a bookmark and marks it read, again and again, until its connection is refused.
  const worker = async (n: number): Promise<void> => {
    for (let i = 0; outcomes.length < 4000 && Date.now() < deadline; i++) {
      const made = await send('POST', '/bookmarks', JSON.stringify({ bookmark_url: `https://example.org/${n}/${i}`, title: `Load ${n}.${i}` }))
      if (!('status' in made)) return
      if (made.status !== 201) continue
      const id = (JSON.parse(made.body) as { url: string }).url.split('/').pop() as string
      created.push(id)
      const done = await send('POST', `/bookmarks/${id}/read`)
      if (!('status' in done)) return
      if (done.status === 200) read.push(id)
    }
  }
  const workers = Array.from({ length: 48 }, (_, n) => worker(n))
  // The signal lands in the middle of the load: after a few hundred answers, or at the latest after 4 s.
  for (const start = Date.now(); outcomes.length < 300 && Date.now() - start < 4000;) await new Promise((resolve) => setTimeout(resolve, 20))
  const before = outcomes.length
  signalled = true
  process.kill(group, 'SIGTERM')
  await Promise.all(workers)
  agent.destroy()
  const { code, signal } = await exited

  assert.is(signal, null, `npm was not killed by a signal: ${started.output()}`)
  assert.is(code, 0, started.output())
  assert.match(started.output(), /SIGTERM: closing/)
  assert.ok(before >= 100, `load before the signal: ${before} requests`)
  assert.ok(outcomes.some((o) => o.afterSignal), 'requests were answered, or refused, after the signal')
  for (const o of outcomes) {
    if (!o.afterSignal) {
      assert.ok('status' in o && (o.status === 200 || o.status === 201), `before the signal: ${JSON.stringify(o)}`)
    } else if ('error' in o) {
      // A connection refused or closed: the request was never answered, so never acknowledged.
      assert.ok(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'socket hang up'].includes(o.error), `after the signal: ${o.error}`)
    } else if (o.status === 503) {
      assert.is(o.connection, 'close')
      assert.ok(Number(o.retryAfter) > 0, 'Retry-After')
      assert.is(o.type, 'application/problem+json')
      assert.is((JSON.parse(o.body) as { status: number }).status, 503)
    } else {
      assert.ok(o.status === 200 || o.status === 201, `after the signal: ${o.status} ${o.body.slice(0, 200)}`)
    }
  }

  // Nothing outlives npm: neither the server it started nor anything else of its group.
  await new Promise((resolve) => setTimeout(resolve, 100))
  assert.not.ok(alive(server.pid), `the server (PID ${server.pid}) is gone`)
  assert.equal(groupMembers(group), [], 'no process is left in the group')

  const file = new Database((db as SharedDatabase).database, { readonly: true })
  try {
    const stateOf = file.prepare('SELECT state FROM resources WHERE id = ?').pluck()
    const historyOf = file.prepare('SELECT action FROM history WHERE resource_id = ? ORDER BY seq').pluck()
    assert.ok(created.length > 0 && read.length > 0, `writes were acknowledged: ${created.length} created, ${read.length} read`)
    for (const id of created) assert.ok(stateOf.get(id) !== undefined, `created ${id} is stored`)
    for (const id of read) {
      assert.is(stateOf.get(id), 'read', id)
      assert.ok((historyOf.all(id) as string[]).includes('read'), `the read of ${id} is in its history`)
    }
    assert.is(file.pragma('integrity_check', { simple: true }), 'ok')
  } finally {
    file.close()
  }
})

test.run()
