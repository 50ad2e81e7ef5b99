import Database from 'better-sqlite3'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { issueToken, openSqliteStore } from '../../src/index.ts'
import { listeningUrl } from '../helpers/processes.ts'

// `npm start` as a user runs it: seeds a new database, prints tokens and its URL, and
// shuts down cleanly on SIGTERM and SIGINT with every acknowledged write on disk.
const test = suite('npm start')
const root = new URL('../..', import.meta.url).pathname
// What `npm start` runs, through tsx so that the sources are tested; npm names the script in the environment.
const npmStart = ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--demo']
// A failed assertion must not leave a server behind.
const children = new Set<ReturnType<typeof spawn>>()
test.after.each(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  children.clear()
})

async function start(file: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; output: () => string; stop: (signal: NodeJS.Signals) => Promise<number | null> }> {
  const child = spawn(process.execPath, [...npmStart, ...args], { cwd: root, env: { ...process.env, npm_lifecycle_event: 'start', PORT: '0', DATABASE_URL: file, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  const started = listeningUrl(child, 20_000)
  const url = await started.url
  return {
    url,
    output: started.output,
    stop: (signal) => new Promise((resolve) => {
      child.once('exit', (code) => resolve(code))
      child.kill(signal)
    }),
  }
}

test('seeds, prints tokens, serves, and closes cleanly on SIGTERM then SIGINT', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-start-'))
  const file = join(dir, 'nested', 'demo.db')
  try {
    const first = await start(file)
    const token = /north-reader\s+reader\s+(\S+)/.exec(first.output())?.[1]
    assert.ok(token, 'a demo token is printed')
    const list = await fetch(`${first.url}/bookmarks`, { headers: { authorization: `Bearer ${token}` } })
    assert.is(list.status, 200)
    const items = ((await list.json()) as { items: { read_url?: string }[] }).items
    assert.is(items.length, 3)
    const target = items.find((i) => i.read_url !== undefined)?.read_url as string
    const read = await fetch(`${first.url}${target}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    assert.is(read.status, 200)
    assert.is(await first.stop('SIGTERM'), 0)
    assert.match(first.output(), /SIGTERM: closing/)

    const second = await start(file)
    assert.not.match(second.output(), /demo tokens/i, 'an existing database is not seeded again')
    assert.match(second.output(), /npm run token -- create --tenant <tenant> --role <role>/, 'a restart says how to get a token')
    const again = await fetch(`${second.url}${target}`.replace(/\/read$/, ''), { headers: { authorization: `Bearer ${token}` } })
    assert.is(((await again.json()) as { data: { read_status: string } }).data.read_status, 'read', 'the acknowledged write survived')
    assert.is(await second.stop('SIGINT'), 0)

    const db = new Database(file, { readonly: true })
    assert.is(db.pragma('integrity_check', { simple: true }), 'ok')
    db.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
test('past SHUTDOWN_TIMEOUT_MS a request still in flight is cut: one line says so, and the exit code is 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-start-'))
  try {
    const server = await start(join(dir, 'slow.db'), [], { SHUTDOWN_TIMEOUT_MS: '300' })
    const token = /north-reader\s+reader\s+(\S+)/.exec(server.output())?.[1] as string
    const { hostname, port } = new URL(server.url)
    const socket = connect(Number(port), hostname)
    socket.on('error', () => {})
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    // A body announced and never finished: the request stays in flight.
    socket.write(`POST /bookmarks HTTP/1.1\r\nHost: ${server.url.slice(7)}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title"`)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const started = Date.now()
    assert.is(await server.stop('SIGTERM'), 1)
    const took = Date.now() - started
    assert.ok(took >= 300 && took < 5000, `took ${took} ms`)
    await closed
    assert.match(server.output(), /SIGTERM: closing/)
    assert.match(server.output(), /still in flight after 300 ms were cut/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

const signInAs = (url: string, user: string) => fetch(`${url}/session`, { method: 'POST', redirect: 'manual', body: `user=${user}`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url } })

test('--no-demo on a new database: nothing seeded, no tokens printed, no demo sign-in, a hint instead', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-start-'))
  try {
    const server = await start(join(dir, 'real.db'), ['--no-demo'])
    assert.not.match(server.output(), /aff_/)
    assert.match(server.output(), /npm run token -- create/)
    const page = await (await fetch(`${server.url}/session`, { headers: { accept: 'text/html' } })).text()
    assert.not.match(page, /Pick a demo user/)
    assert.is((await signInAs(server.url, 'north-admin')).status, 422)
    assert.is(await server.stop('SIGTERM'), 0)
    const db = new Database(join(dir, 'real.db'), { readonly: true })
    assert.is(db.prepare('SELECT count(*) FROM resources').pluck().get(), 0)
    assert.is(db.prepare('SELECT count(*) FROM tokens').pluck().get(), 0)
    db.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a database holding a real token but no resources is neither seeded nor offered demo sign-in', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-start-'))
  const file = join(dir, 'ops.db')
  try {
    const store = openSqliteStore({ filename: file, checkpointInterval: 0 })
    const token = await issueToken(store, { id: 'ops', name: 'Ops', tenant: 'north', roles: ['admin'] }, Date.now())
    store.close()
    const server = await start(file)
    assert.not.match(server.output(), /demo tokens/i)
    assert.is((await signInAs(server.url, 'north-admin')).status, 422)
    const list = await fetch(`${server.url}/bookmarks`, { headers: { authorization: `Bearer ${token}` } })
    assert.is(((await list.json()) as { items: unknown[] }).items.length, 0)
    assert.is(await server.stop('SIGTERM'), 0)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a port in use: one clear line, exit code 1, and no database created', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-start-'))
  const file = join(dir, 'never.db')
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  try {
    const port = String((blocker.address() as AddressInfo).port)
    const r = spawnSync(process.execPath, npmStart, { cwd: root, env: { ...process.env, PORT: port, HOST: '127.0.0.1', DATABASE_URL: file }, encoding: 'utf8', timeout: 20_000 })
    assert.is(r.status, 1)
    assert.is(r.stdout, '')
    assert.equal(r.stderr.trim().split('\n'), [`Port ${port} on 127.0.0.1 is already in use; stop what uses it or set PORT to another port.`])
    assert.not.ok(existsSync(file), 'no database was created')
  } finally {
    blocker.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('logs a JSON line per request at info by default, none at LOG_LEVEL=silent; serves metrics on --metrics-port only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-serve-'))
  try {
    const metricsPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo
        probe.close(() => resolve(port))
      })
    })
    const server = await start(join(dir, 'a.db'), ['--metrics-port', String(metricsPort)])
    const r = await fetch(`${server.url}/bookmarks`, { headers: { 'x-request-id': 'serve-log-1' } })
    assert.is(r.status, 401)
    assert.is(r.headers.get('x-request-id'), 'serve-log-1')
    assert.is((await fetch(`${server.url}/metrics`)).status, 404)
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
    assert.match(metrics, /affordance_refusals_total\{status="401"\} 1/)
    assert.is(await server.stop('SIGTERM'), 0)
    const line = server.output().split('\n').find((l) => l.includes('serve-log-1'))
    assert.ok(line !== undefined, server.output())
    assert.is((JSON.parse(line) as { route: string }).route, '/bookmarks')
    const quiet = await start(join(dir, 'b.db'), ['--log-level', 'silent'])
    await fetch(`${quiet.url}/bookmarks`, { headers: { 'x-request-id': 'serve-log-2' } })
    assert.is(await quiet.stop('SIGTERM'), 0)
    assert.not.ok(quiet.output().includes('serve-log-2'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('an unknown argument: usage, exit code 2', () => {
  const r = spawnSync(process.execPath, [...npmStart, '--demo-please'], { cwd: root, env: { ...process.env, PORT: '0', DATABASE_URL: ':memory:' }, encoding: 'utf8', timeout: 20_000 })
  assert.is(r.status, 2)
  assert.match(r.stderr, /--no-demo/)
})

test.run()
