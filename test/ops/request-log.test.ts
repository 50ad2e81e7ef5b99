import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { defineMachine, defineResource } from '../../src/index.ts'
import { bookmark, demoUsers, visit } from '../../src/resources/index.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { captureLogger } from './capture.ts'

// One JSON line per request, matched to its answer by a request id; never a secret.
const test = suite('request logs')
const log = captureLogger()
const broken = defineResource({
  name: 'fuse', collection: 'fuses',
  machine: defineMachine({ name: 'fuse', initial: 'whole', states: ['whole', 'blown'], terminal: ['blown'], actions: { blow: { from: ['whole'], to: 'blown', roles: ['reader'] } } }),
  schema: { $id: 'https://example.org/schemas/fuse.json', type: 'object', additionalProperties: false },
  policy: { view: ['reader'], create: ['reader'] },
  hooks: { resourceExists: () => { throw new Error('the fuse blew') } },
})
let server: TestServer
test.before(async () => {
  // No `log` option: unexpected errors go to the logger, with the request id.
  server = await startServer({ resources: [bookmark, visit, broken], demoUsers, logger: log.logger, log: undefined as never })
})
test.after(async () => { await server.close() })

const find = (id: string): Record<string, unknown>[] => log.records().filter((r) => r.request_id === id)

test('one line per request: method, route template, status, duration, request id, principal and tenant', async () => {
  const created = await server.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/a', title: 'A' } })
  const moved = await server.request('POST', `${created.headers.get('location') ?? ''}/read`, { as: 'north-reader' })
  assert.is(moved.status, 200, moved.text)
  const id = moved.headers.get('x-request-id') ?? ''
  const lines = find(id)
  assert.is(lines.length, 1)
  const line = lines[0] as Record<string, unknown>
  assert.is(line.method, 'POST')
  assert.is(line.route, '/bookmarks/:id/:action')
  assert.is(line.status, 200)
  assert.type(line.duration_ms, 'number')
  assert.is(line.principal, 'north-reader')
  assert.is(line.tenant, 'north')
  assert.is(line.level, 30)
})

test('an unmatched path is logged without a template, its path cut short', async () => {
  const r = await server.request('GET', `/${'x'.repeat(3000)}`)
  assert.is(r.status, 404)
  const [line] = find(r.headers.get('x-request-id') ?? '')
  assert.is(line?.route, null)
  assert.ok(String(line?.path).length <= 201, String(line?.path).length.toString())
})

test('a well-formed X-Request-Id is kept, echoed and named in the problem', async () => {
  const r = await server.request('GET', '/bookmarks/nope', { as: 'north-reader', headers: { 'x-request-id': 'abc-123_DEF.9:z' } })
  assert.is(r.status, 404)
  assert.is(r.headers.get('x-request-id'), 'abc-123_DEF.9:z')
  assert.is(r.json.request_id, 'abc-123_DEF.9:z')
  assert.is(find('abc-123_DEF.9:z').length, 1)
})

test('an ill-formed or overlong X-Request-Id is replaced by a new one', async () => {
  for (const bad of ['has space', 'x'.repeat(129), '<script>', 'a,b']) {
    const r = await server.request('GET', '/bookmarks', { headers: { 'x-request-id': bad } })
    assert.is(r.status, 401)
    const id = r.headers.get('x-request-id') ?? ''
    assert.match(id, /^[A-Za-z0-9-]{36}$/)
    assert.is(r.json.request_id, id)
  }
})

test('every problem names the request id it was logged under', async () => {
  const r = await server.request('POST', '/bookmarks', { as: 'north-reader', body: '{bad', headers: { 'content-type': 'application/json' } })
  assert.is(r.status, 400)
  assert.ok(r.json.request_id !== undefined)
  assert.is(find(r.json.request_id as string)[0]?.status, 400)
})

test('an unexpected error is logged once, with its stack and the request id; the client sees neither stack nor message', async () => {
  const r = await server.request('GET', '/fuses/some-id', { as: 'north-reader' })
  assert.is(r.status, 500)
  const id = r.json.request_id as string
  assert.is(r.headers.get('x-request-id'), id)
  const lines = find(id)
  const errors = lines.filter((l) => l.level === 50)
  assert.is(errors.length, 1)
  assert.match(String((errors[0]?.err as { stack?: string })?.stack), /the fuse blew\n\s+at /)
  assert.is(lines.filter((l) => l.level === 30).length, 1)
  assert.not.match(r.text, /fuse blew/)
})

test('with nothing to log or count (an embedded app by default), a 500 still echoes the request id its problem names', async () => {
  const quiet = await startServer({ resources: [bookmark, visit, broken], demoUsers, log: () => undefined })
  try {
    const r = await quiet.request('GET', '/fuses/some-id', { as: 'north-reader', headers: { 'x-request-id': 'quiet-1' } })
    assert.is(r.status, 500)
    assert.is(r.json.request_id, 'quiet-1')
    assert.is(r.headers.get('x-request-id'), 'quiet-1')
  } finally {
    await quiet.close()
  }
})

test('no line holds a token, a cookie or a body: tokens issued, cookies set and bodies sent are searched for', async () => {
  const secrets = new Set(Object.values(server.tokens))
  const signIn = await server.request('POST', '/session', { body: 'user=north-admin', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'application/json' } })
  assert.is(signIn.status, 303, signIn.text)
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const cookieToken = cookie.split('=')[1] ?? ''
  assert.ok(cookieToken.length > 20)
  secrets.add(cookieToken)
  await server.request('GET', '/bookmarks', { headers: { cookie, accept: 'application/json' } })
  const pasted = await server.request('POST', '/session', { body: `token=${server.tokens['north-reader'] ?? ''}`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'application/json' } })
  assert.is(pasted.status, 303)
  const secretTitle = 'body-secret-7f3a9c'
  const v = await server.request('POST', '/bookmarks', { as: 'north-admin', json: { bookmark_url: 'https://example.org/s', title: secretTitle } })
  await server.request('POST', `${v.headers.get('location') ?? ''}/archive`, { as: 'north-admin', json: {} })
  await server.request('POST', `${v.headers.get('location') ?? ''}/read`, { as: 'north-admin', json: {} })
  await server.request('GET', '/bookmarks', { token: 'aff_not-a-real-token-but-still-secret' })
  secrets.add('aff_not-a-real-token-but-still-secret')
  await server.request('POST', '/session/delete', { headers: { cookie, origin: server.url, accept: 'application/json' } })
  const all = log.lines.join('')
  assert.ok(log.lines.length > 10)
  for (const line of log.lines) JSON.parse(line)
  for (const secret of secrets) assert.not.ok(all.includes(secret), 'a token is in the logs')
  assert.not.ok(all.includes(secretTitle), 'a body is in the logs')
  assert.not.ok(/authorization|cookie/i.test(all), 'a credential field is in the logs')
})

test.run()
