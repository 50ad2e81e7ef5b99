import { connect, type Socket } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createApp, createHttpServer, serverOptionsFromEnv } from '../../src/index.ts'
import { bookmark } from '../../src/resources/index.ts'
import { parseResponse } from '../helpers/raw-http.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

// Callers who hold a connection open without finishing their request: bounded in time and number.
const test = suite('timeouts and connection limits')
let server: TestServer
let port = 0
test.before(async () => {
  server = await startServer({ bodyTimeoutMs: 200 }, { headersTimeoutMs: 300, requestTimeoutMs: 5000, maxConnections: 8 })
  port = Number(new URL(server.url).port)
})
test.after(async () => { await server.close() })

/** Writes `bytes` and keeps the connection open; resolves with what came back once the server closes or `ms` pass. */
function hold(bytes: string, ms: number): Promise<{ text: string; elapsed: number; answeredAfter: number; closed: boolean }> {
  return new Promise((resolve) => {
    const started = Date.now()
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(bytes))
    let text = ''
    let answeredAfter = -1
    let done = false
    const finish = (closed: boolean): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ text, elapsed: Date.now() - started, answeredAfter, closed })
    }
    const timer = setTimeout(() => finish(false), ms)
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      if (answeredAfter < 0) answeredAfter = Date.now() - started
      text += chunk
    })
    socket.on('error', () => finish(true))
    socket.on('close', () => finish(true))
  })
}

const host = (): string => `Host: 127.0.0.1:${port}\r\n`

test('a body that never ends is cut off after the body timeout with 408', async () => {
  const r = await hold(`POST /bookmarks HTTP/1.1\r\n${host()}Authorization: Bearer ${server.tokens['north-reader'] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title":`, 3000)
  const reply = parseResponse(Buffer.from(r.text, 'latin1'))
  assert.ok(reply !== undefined, `no answer within ${r.elapsed} ms`)
  assert.is(reply.status, 408)
  assert.is((JSON.parse(reply.text) as { type: string }).type, '/problems/request-timeout')
  assert.is(reply.headers.get('connection'), 'close')
  assert.ok(r.closed, 'the connection is closed')
  assert.ok(r.elapsed >= 150 && r.elapsed < 2000, `${r.elapsed} ms`)
})

test('a caller without credentials is answered 401 before its body is read', async () => {
  const r = await hold(`POST /bookmarks HTTP/1.1\r\n${host()}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n`, 3000)
  const reply = parseResponse(Buffer.from(r.text, 'latin1'))
  assert.ok(reply !== undefined, `no answer within ${r.elapsed} ms`)
  assert.is(reply.status, 401)
  assert.ok(r.answeredAfter < 150, `answered after ${r.answeredAfter} ms, before the body timeout`)
  assert.is(reply.headers.get('connection'), 'close')
  assert.ok(r.closed && r.elapsed < 1000, `closed after ${r.elapsed} ms, not held while the body keeps coming`)
})

test('a bad body from a caller without credentials is 401, not 400', async () => {
  const r = await server.request('POST', '/bookmarks', { body: '{"title": ', headers: { 'content-type': 'application/json' } })
  assert.is(r.status, 401)
})

test('answers that read no body keep the connection: two GETs and a POST with its body go over one socket', async () => {
  const token = server.tokens['north-reader'] ?? ''
  const get = `GET /bookmarks HTTP/1.1\r\n${host()}Authorization: Bearer ${token}\r\n\r\n`
  const body = '{"bookmark_url":"https://example.org/keep","title":"Keep"}'
  const post = `POST /bookmarks HTTP/1.1\r\n${host()}Authorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
  const r = await hold(get + get + post, 1500)
  const statuses = [...r.text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]))
  assert.equal(statuses, [200, 200, 201], r.text.slice(0, 300))
  assert.not.match(r.text, /^Connection: close/im)
})

test('header fields that never end are cut off after the headers timeout with 408', async () => {
  const r = await hold(`GET / HTTP/1.1\r\n${host()}X-Slow: 1\r\n`, 4000)
  const reply = parseResponse(Buffer.from(r.text, 'latin1'))
  assert.ok(reply !== undefined, `no answer within ${r.elapsed} ms`)
  assert.is(reply.status, 408)
  assert.ok(r.elapsed < 2500, `${r.elapsed} ms`)
})

test('connections past the cap are refused; the server answers once they go', async () => {
  const app = createApp({ resources: [bookmark], database: ':memory:', rateLimit: false, log: () => {} })
  const capped = createHttpServer(app, { maxConnections: 1 })
  await new Promise<void>((resolve) => capped.listen(0, '127.0.0.1', resolve))
  const cappedPort = (capped.address() as { port: number }).port
  const open = (): Promise<Socket> => new Promise((resolve) => { const s = connect(cappedPort, '127.0.0.1', () => resolve(s)); s.on('error', () => {}) })
  try {
    const first = await open()
    const second = await open()
    const closed = await new Promise<boolean>((resolve) => { second.once('close', () => resolve(true)); setTimeout(() => resolve(false), 2000) })
    assert.ok(closed, 'the second connection is closed at once')
    first.destroy()
    await new Promise((resolve) => setTimeout(resolve, 50))
    const r = await fetch(`http://127.0.0.1:${cappedPort}/health`)
    assert.is(r.status, 200)
  } finally {
    capped.closeAllConnections()
    await new Promise<void>((resolve) => capped.close(() => resolve()))
    app.close()
  }
})

test('the limits are options, or environment variables', () => {
  const app = createApp({ resources: [bookmark], database: ':memory:', rateLimit: false, log: () => {} })
  try {
    const s = createHttpServer(app, { headersTimeoutMs: 1000, requestTimeoutMs: 2000, maxConnections: 3 })
    assert.equal([s.headersTimeout, s.requestTimeout, s.maxConnections], [1000, 2000, 3])
    assert.equal(serverOptionsFromEnv({ HEADERS_TIMEOUT_MS: '4000', REQUEST_TIMEOUT_MS: '9000', MAX_CONNECTIONS: '10' }), { headersTimeoutMs: 4000, requestTimeoutMs: 9000, maxConnections: 10 })
    assert.throws(() => serverOptionsFromEnv({ MAX_CONNECTIONS: 'many' }), /MAX_CONNECTIONS/)
    const defaults = createHttpServer(app)
    assert.ok(defaults.headersTimeout <= 30_000 && defaults.requestTimeout <= 120_000 && Number.isFinite(defaults.maxConnections), 'bounded by default')
  } finally {
    app.close()
  }
})

test.run()
