import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { rawRequest } from '../../helpers/raw-http.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Requests Node's parser refuses never reach the app; they too must get problem documents.
const test = suite('malformed HTTP framing')
let server: TestServer
let port = 0
test.before(async () => {
  server = await startServer()
  port = Number(new URL(server.url).port)
})
test.after(async () => { await server.close() })

// An HTTP-date within a minute of now.
const assertDate = (headers: Headers): void => {
  const date = headers.get('date') ?? ''
  assert.match(date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/, `Date: ${date}`)
  assert.ok(Math.abs(Date.parse(date) - Date.now()) < 60_000, `Date: ${date}`)
}

const cases: readonly (readonly [string, string, number, string])[] = [
  ['two different Content-Length fields', 'POST /bookmarks HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400, 'malformed-request'],
  ['Content-Length with Transfer-Encoding', 'POST /bookmarks HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'malformed-request'],
  ['a chunk size that is not hex', 'POST /bookmarks HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', 400, 'malformed-request'],
  ['a method that is not a token', 'G@T / HTTP/1.1\r\nHost: a\r\n\r\n', 400, 'malformed-request'],
  ['a control character in a field', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: a\x01b\r\n\r\n', 400, 'malformed-request'],
  ['no Host in HTTP/1.1', 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'malformed-request'],
  ['a method Node does not know (any token is a method, RFC 9110 §9.1)', 'BREW /bookmarks HTTP/1.1\r\nHost: a\r\n\r\n', 501, 'not-implemented'],
  ['a method in lower case (methods are case-sensitive)', 'get / HTTP/1.1\r\nHost: a\r\n\r\n', 501, 'not-implemented'],
  ['an unknown method with a body', 'BREW /pot HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc', 501, 'not-implemented'],
  ['an unknown method without a valid request line', 'BREW /pot\r\nHost: a\r\n\r\n', 400, 'malformed-request'],
  ['CONNECT, which we do not tunnel', 'CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n', 501, 'not-implemented'],
  ['header fields over the limit', `GET / HTTP/1.1\r\nHost: a\r\nX-A: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'header-fields-too-large'],
]

for (const [name, request, status, kind] of cases) {
  test(`${name}: ${status} ${kind} as a problem document`, async () => {
    const outcome = await rawRequest(port, Buffer.from(request, 'latin1'), name)
    if (outcome.kind === 'none') return assert.unreachable(outcome.reason)
    assert.is(outcome.reply.status, status)
    assert.is(outcome.reply.json.type, `/problems/${kind}`)
    assert.is(outcome.reply.json.status, status)
    assertDate(outcome.reply.headers)
  })
}

test('a body shorter than its Content-Length: 400 malformed-request', async () => {
  const request = `POST /bookmarks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.tokens['north-reader'] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{}`
  const outcome = await rawRequest(port, Buffer.from(request, 'latin1'), 'short body')
  if (outcome.kind === 'none') return assert.unreachable(outcome.reason)
  assert.is(outcome.reply.status, 400)
  assert.is(outcome.reply.json.type, '/problems/malformed-request')
})

test('a long unknown method is not echoed whole', async () => {
  const outcome = await rawRequest(port, Buffer.from(`${'B'.repeat(5000)} / HTTP/1.1\r\nHost: a\r\n\r\n`, 'latin1'), 'long method')
  if (outcome.kind === 'none') return assert.unreachable(outcome.reason)
  assert.is(outcome.reply.status, 501)
  assert.ok(outcome.reply.text.length < 500, outcome.reply.text)
})

test('a 304 and an error from the app carry Date too (RFC 9110 §6.6.1)', async () => {
  const created = await server.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/dated', title: 'Dated' } })
  const url = created.headers.get('location') as string
  const notModified = await rawRequest(port, Buffer.from(`GET ${url} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${server.tokens['north-reader'] ?? ''}\r\nIf-None-Match: ${created.headers.get('etag') ?? ''}\r\nConnection: close\r\n\r\n`, 'latin1'), '304')
  if (notModified.kind === 'none') return assert.unreachable(notModified.reason)
  assert.is(notModified.reply.status, 304)
  assertDate(notModified.reply.headers)
  const missing = await rawRequest(port, Buffer.from(`GET /nothing HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, 'latin1'), '404')
  if (missing.kind === 'none') return assert.unreachable(missing.reason)
  assertDate(missing.reply.headers)
})

test('a write pipelined before bad bytes is answered first, with its own status', async () => {
  const created = await server.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/pipelined', title: 'Pipelined' } })
  const url = created.headers.get('location') as string
  const write = `POST ${url}/read HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${server.tokens['north-reader'] ?? ''}\r\nContent-Length: 0\r\n\r\n`
  const outcome = await rawRequest(port, Buffer.from(`${write}{"garbage":1}\r\n\r\n`, 'latin1'), 'pipelined')
  if (outcome.kind === 'none') return assert.unreachable(outcome.reason)
  const now = await server.request('GET', url, { as: 'north-reader' })
  assert.is(now.json.data.read_status, 'read')
  assert.is(outcome.reply.status, 200, 'the first answer on the connection belongs to the write')
})

test('the server still answers after all of them', async () => {
  assert.is((await server.request('GET', '/health')).status, 200)
})

test.run()
