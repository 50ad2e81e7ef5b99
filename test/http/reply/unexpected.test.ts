import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { defineMachine, defineResource, StoreUnavailable, type Hooks } from '../../../src/index.ts'
import { rawRequest } from '../../helpers/raw.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Whatever throws, a client gets a 500 problem, never Koa's text error, and the error is logged.
const test = suite('unexpected exceptions')
const machine = defineMachine({ name: 'gadget', initial: 'idle', states: ['idle'], actions: { poke: { from: 'idle', to: 'idle', roles: ['reader'] } } })
const gadget = (name: string, hooks: Partial<Hooks>) => defineResource({
  name, collection: `${name}s`, machine: { ...machine, name }, hooks,
  schema: { $id: `https://example.org/schemas/${name}.json`, type: 'object', additionalProperties: false }, policy: { view: ['reader'], create: ['reader'] },
})
const httpError = Object.assign(new Error('I am a teapot'), { status: 418, expose: true })
const logged: unknown[] = []
let server: TestServer
test.before(async () => {
  server = await startServer({
    resources: [
      gadget('teapot', { serviceAvailable: () => { throw httpError } }),
      gadget('stringly', { forbidden: () => { throw 'not even an Error' } }),
      gadget('plain', {}),
    ],
    problemPage: (doc) => { if (String(doc.instance).startsWith('/nothing')) throw new Error('page exploded'); return `<h1>${String(doc.status)} ${String(doc.title)}</h1>` },
    log: (e) => logged.push(e),
  })
})
test.after(async () => { await server.close() })
const auth = (): Record<string, string> => ({ authorization: `Bearer ${server.tokens['north-reader'] ?? ''}` })

const cases: readonly [string, string, Record<string, string>][] = [
  ['an HTTP error with its own status and message', '/teapots', {}],
  ['a thrown value that is not an Error', '/stringlys', {}],
  ['a problem page that throws', '/nothing', { accept: 'text/html' }],
]
for (const [name, path, headers] of cases) {
  test(`${name}: 500 problem, logged`, async () => {
    const before = logged.length
    const r = await rawRequest(server.url, 'GET', path, { headers: { ...auth(), ...headers } })
    assert.is(r.status, 500)
    assert.ok(logged.length > before)
    assert.not.match(r.text, /I am a teapot|not even|exploded/)
    assert.is((r.json as { type: string }).type, '/problems/internal-error')
  })
}

test('browsers still get the problem page when it works', async () => {
  const r = await rawRequest(server.url, 'GET', '/elsewhere', { headers: { accept: 'text/html' } })
  assert.is(r.status, 404)
  assert.is(r.text, '<h1>404 Not Found</h1>')
})

test('a database out of reach is a 503 with Retry-After, which for a POST says how to resend safely', async () => {
  const store = server.app.store
  const down = new StoreUnavailable('The database is unreachable (test).', 2)
  const { get, create } = store
  Object.assign(store, { get: () => Promise.reject(down), create: () => Promise.reject(down) })
  try {
    const read = await server.request('GET', '/plains/x', { as: 'north-reader' })
    assert.is(read.status, 503)
    assert.is(read.headers.get('retry-after'), '2')
    assert.match(read.json.detail as string, /nothing was done/)
    const write = await server.request('POST', '/plains', { as: 'north-reader', json: {} })
    assert.is(write.status, 503)
    assert.match(write.json.detail as string, /same Idempotency-Key/)
  } finally {
    Object.assign(store, { get, create })
  }
})

test('the server still answers afterwards', async () => {
  const r = await server.request('GET', '/health')
  assert.is(r.status, 200)
})

test.run()
