import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createApp, createHttpServer, issueToken, shutdown, type AffordanceApp } from '../../src/index.ts'
import { bookmark, demoUsers, visit } from '../../src/resources/index.ts'

// Draining an embedded app: requests already admitted finish and commit, new ones are
// turned away with 503 and Connection: close, and a deadline bounds the whole.
const test = suite('shutdown')

interface Running {
  readonly app: AffordanceApp
  readonly server: Server
  readonly port: number
  readonly file: string
  readonly token: string
  readonly dir: string
}
let running: Running | undefined

async function start(): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-shutdown-'))
  const file = join(dir, 'test.db')
  const app = createApp({ resources: [bookmark, visit], database: file, log: () => {}, rateLimit: false })
  const token = await issueToken(app.store, demoUsers.find((u) => u.id === 'north-reader') as (typeof demoUsers)[number], Date.now())
  const server = createHttpServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  running = { app, server, port: (server.address() as AddressInfo).port, file, token, dir }
  return running
}
test.after.each(() => {
  if (running === undefined) return
  running.server.closeAllConnections()
  running.server.close()
  running.app.close()
  rmSync(running.dir, { recursive: true, force: true })
  running = undefined
})

/** A raw connection that collects what the server sends, and notices when it closes. */
function open(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let text = ''
    const socket = connect(port, '127.0.0.1')
    socket.on('data', (d: Buffer) => (text += d.toString()))
    socket.on('error', () => {})
    const closed = new Promise<void>((done) => socket.once('close', () => done()))
    socket.once('connect', () => resolve({ socket, received: () => text, closed }))
    socket.once('error', reject)
  })
}
const until = async (what: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}
const body = JSON.stringify({ bookmark_url: 'https://example.org/a', title: 'In flight' })
const postHead = (port: number, token: string): string =>
  `POST /bookmarks HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`

test('a request on a kept-alive connection once the app stops admitting: 503, a problem with Retry-After, Connection: close', async () => {
  const { app, port, token } = await start()
  const c = await open(port)
  const get = `GET /bookmarks HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`
  c.socket.write(get)
  await until(() => /\r\n\r\n[\s\S]*\}$/.test(c.received()))
  assert.match(c.received(), /^HTTP\/1\.1 200 /)
  assert.not.match(c.received(), /connection: close/i, 'kept alive before draining')
  assert.is(app.stopping, false)
  app.stopAdmitting()
  assert.is(app.stopping, true)
  assert.is(app.draining, true, 'it drains too: /ready says not ready')
  const before = c.received().length
  c.socket.write(get)
  await c.closed
  const reply = c.received().slice(before)
  assert.match(reply, /^HTTP\/1\.1 503 /)
  assert.match(reply, /\r\nconnection: close\r\n/i)
  assert.match(reply, /\r\nretry-after: \d+\r\n/i)
  assert.match(reply, /\r\ncontent-type: application\/problem\+json/i)
  const problem = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as { status: number; detail: string }
  assert.is(problem.status, 503)
  assert.match(problem.detail, /shutting down/)
})

test('once it stops admitting, /health still answers and /ready says not ready, each closing its connection', async () => {
  const { app, port } = await start()
  app.stopAdmitting()
  for (const [path, status, says] of [['/health', 200, /"ok"/], ['/ready', 503, /draining/]] as const) {
    const c = await open(port)
    c.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)
    await c.closed
    assert.match(c.received(), new RegExp(`^HTTP/1\\.1 ${status} `), path)
    assert.match(c.received(), /\r\nconnection: close\r\n/i, path)
    assert.match(c.received(), says, path)
  }
})

test('a route of the host server, not ours, in flight when shutdown starts: answered, then its connection closes at once', async () => {
  const { app, server: ours, token } = await start()
  ours.close()
  const handle = app.callback()
  // A server of the user's own, with a slow route of its own beside the app's.
  const host = createServer((req, res) => (req.url === '/own' ? setTimeout(() => res.end('own'), 150) : handle(req, res)))
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
  try {
    const port = (host.address() as AddressInfo).port
    const c = await open(port)
    c.socket.write(`GET /own HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`)
    await new Promise((r) => setTimeout(r, 50))
    const started = Date.now()
    assert.equal(await shutdown(host, app, { timeoutMs: 4000 }), { clean: true })
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms, not the keep-alive timeout`)
    await c.closed
    assert.match(c.received(), /^HTTP\/1\.1 200 [\s\S]*own$/)
  } finally {
    host.closeAllConnections()
    host.close()
  }
})

test('a write in flight commits: its reply closes the connection, and shutdown resolves clean once it is sent', async () => {
  const { app, server, port, token, file } = await start()
  const c = await open(port)
  c.socket.write(postHead(port, token) + body.slice(0, 10))
  await new Promise((r) => setTimeout(r, 50))
  const done = shutdown(server, app, { timeoutMs: 5000 })
  let settled = false
  void done.then(() => (settled = true))
  await new Promise((r) => setTimeout(r, 100))
  assert.is(server.listening, false, 'no new connection is accepted')
  assert.is(settled, false, 'it waits for the request in flight')
  c.socket.write(body.slice(10))
  await c.closed
  assert.match(c.received(), /^HTTP\/1\.1 201 /)
  assert.match(c.received(), /\r\nconnection: close\r\n/i)
  const id = /\r\nlocation: \/bookmarks\/([^\r]+)\r\n/i.exec(c.received())?.[1]
  assert.equal(await done, { clean: true })
  const db = new Database(file, { readonly: true })
  assert.is(db.prepare('SELECT count(*) FROM history WHERE resource_id = ?').pluck().get(id), 1, 'the acknowledged write is on disk')
  db.close()
  assert.throws(() => app.store.meta('x'), /not open/, 'the store is closed')
})

test('a second shutdown (SIGINT after SIGTERM) waits for the first instead of closing the store under a write in flight', async () => {
  const { app, server, port, token } = await start()
  const c = await open(port)
  c.socket.write(postHead(port, token) + body.slice(0, 10))
  await new Promise((r) => setTimeout(r, 50))
  const first = shutdown(server, app, { timeoutMs: 5000 })
  const second = shutdown(server, app, { timeoutMs: 5000 })
  await new Promise((r) => setTimeout(r, 50))
  c.socket.write(body.slice(10))
  await c.closed
  assert.match(c.received(), /^HTTP\/1\.1 201 /)
  assert.equal(await second, { clean: true })
  assert.is(first, second)
})

test('past the deadline, connections are cut and shutdown says it was not clean', async () => {
  const { app, server, port, token } = await start()
  const c = await open(port)
  c.socket.write(postHead(port, token) + body.slice(0, 10))
  await new Promise((r) => setTimeout(r, 50))
  const started = Date.now()
  assert.equal(await shutdown(server, app, { timeoutMs: 300 }), { clean: false })
  const took = Date.now() - started
  assert.ok(took >= 290 && took < 2000, `took ${took} ms`)
  await c.closed
  assert.is(c.received(), '', 'the unfinished request got no answer')
})

test('the deadline must be a positive number of ms', async () => {
  const { app, server } = await start()
  for (const timeoutMs of [0, -1, Number.NaN, Infinity]) assert.throws(() => shutdown(server, app, { timeoutMs }), /timeoutMs/)
  assert.is(app.stopping, false, 'nothing was started')
})

test.run()
