import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { visit } from '../../../src/resources/index.ts'
import { inputFor, resourceIn } from '../../helpers/machines.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Where the new cells sit in the decision graph: B8a first (every answer is limited), B8 before
// the body is read, G5 after the resource is found and before any precondition.
const test = suite('principal cells in the decision graph')
let server: TestServer
test.before(async () => { server = await startServer({ trace: true }) })
test.after(async () => { await server.close() })

const path = (r: { headers: Headers }): string[] => (r.headers.get('affordance-trace') ?? '').split(',')
const before = (trace: readonly string[], a: string, b: string): boolean => trace.includes(a) && trace.includes(b) && trace.indexOf(a) < trace.indexOf(b)

test('a transition with a key passes b8a first, b8 → b9 → b7, and g7 → g5 → g6', async () => {
  const { url, etag } = await resourceIn(server, visit, 'scheduled', 'north-dispatcher')
  const r = await server.request('POST', `${url}/cancel`, { as: 'north-dispatcher', json: inputFor(visit, 'cancel'), headers: { 'if-match': etag, 'idempotency-key': 'trace-1' } })
  assert.is(r.status, 200)
  const trace = path(r)
  assert.is(trace[0], 'b8a')
  assert.equal(trace.slice(trace.indexOf('b8'), trace.indexOf('b8') + 3), ['b8', 'b9', 'b7'])
  assert.ok(before(trace, 'g7', 'g5') && before(trace, 'g5', 'g6') && before(trace, 'g5', 'g11'), trace.join(','))
  assert.ok(trace.includes('c4') && trace.at(-1) === 'n11', 'negotiated and processed')
})

test('a replay halts at g5', async () => {
  const { url, etag } = await resourceIn(server, visit, 'scheduled', 'north-dispatcher')
  const options = { as: 'north-dispatcher', json: inputFor(visit, 'cancel'), headers: { 'if-match': etag, 'idempotency-key': 'trace-2' } }
  await server.request('POST', `${url}/cancel`, options)
  const again = await server.request('POST', `${url}/cancel`, options)
  assert.is(path(again).at(-1), 'g5')
})

test('a 401 stops at b8, after the rate limit; a 429 at b8a', async () => {
  assert.is(path(await server.request('GET', '/visits')).at(-1), 'b8')
  const tiny = await startServer({ trace: true, rateLimit: { capacity: 1, refillPerSecond: 0.001 } })
  try {
    await tiny.request('GET', '/visits', { as: 'north-admin' })
    const r = await tiny.request('GET', '/visits', { as: 'north-admin' })
    assert.is(r.status, 429)
    assert.is(path(r).at(-1), 'b8a')
  } finally {
    await tiny.close()
  }
})

test.run()
