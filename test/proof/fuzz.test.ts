import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { knownMethods } from '../../src/http/routes/defaults.ts'
import { badRequest, type BadRequest, type Fixture } from '../helpers/bad-requests.ts'
import { random, seedFrom } from '../helpers/random.ts'
import { rawRequest } from '../helpers/raw-http.ts'
import { send, startServer, type TestServer } from '../helpers/server.ts'
import { queryDatabase } from '../helpers/stores.ts'

// Fuzzing: generated bad requests of every kind against a server in this process,
// so that its prototypes can be inspected afterwards.
const test = suite('fuzzing')
const COUNT = process.env.DEEP === '1' ? 100_000 : 10_000
const CONCURRENCY = 16
let server: TestServer
let fixture: Fixture
const logged: unknown[] = []

test.before(async () => {
  server = await startServer({ log: (error) => logged.push(error) })
  const b = await server.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/fuzz', title: 'Fuzz' } })
  const v = await server.request('POST', '/visits', { as: 'north-dispatcher', json: { patient: 'P', address: 'A', scheduled_for: '2026-12-01T09:00:00Z' } })
  fixture = { bookmark: b.headers.get('location') as string, visit: v.headers.get('location') as string, tokens: server.tokens }
})
test.after(async () => { await server.close() })

/** Every row of every table that requests could change. */
async function snapshot(): Promise<string> {
  const db = { location: server.database, kind: server.storeKind }
  const tables = await Promise.all(['resources', 'history', 'idempotency', 'tokens'].map((t) => queryDatabase(db, `SELECT * FROM ${t} ORDER BY 1, 2`)))
  return JSON.stringify(tables)
}

const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype]
const shapeOfPrototypes = (): string => JSON.stringify(prototypes.map((p) => Reflect.ownKeys(p).map(String).sort()))

/** The status of one request, or a string saying what went wrong with it. */
async function run(r: BadRequest): Promise<{ status: number } | { failure: string }> {
  try {
    if (r.via === 'raw') {
      const outcome = await rawRequest(Number(new URL(server.url).port), r.bytes, r.label)
      return outcome.kind === 'reply' ? { status: outcome.reply.status } : { failure: `${r.label}: ${outcome.reason}` }
    }
    const reply = await send(server.url, {}, r.method, r.path, { headers: r.headers, ...(r.body !== undefined && { body: r.body }) })
    return { status: reply.status }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? ''
    return { failure: `${r.label}: ${(error as Error).message.slice(0, 300)} ${cause}` }
  }
}

const writes = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

test(`${COUNT} generated bad requests: no 5xx, valid problems, no pollution, no change`, async () => {
  const seed = seedFrom('FUZZ_SEED')
  const rand = random(seed)
  const before = await snapshot()
  const shape = shapeOfPrototypes()
  const failures: string[] = []
  const statuses = new Map<number, number>()
  let sent = 0
  const worker = async (): Promise<void> => {
    while (sent < COUNT) {
      sent++
      const r = badRequest(fixture, rand)
      const result = await run(r)
      if ('failure' in result) {
        failures.push(result.failure)
        continue
      }
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1)
      const method = r.method.toUpperCase()
      const unknownMethod = result.status === 501 && !(knownMethods as readonly string[]).includes(r.method)
      if (result.status >= 500 && !unknownMethod) failures.push(`${r.label}: ${result.status}`)
      if (writes.has(method) && result.status >= 200 && result.status < 300) failures.push(`${r.label}: a bad write was accepted (${result.status})`)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const summary = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')
  assert.is(failures.length, 0, `seed ${seed}; ${failures.length} failures, e.g.\n${failures.slice(0, 8).join('\n')}\nstatuses: ${summary}`)
  assert.is(logged.length, 0, `unexpected errors logged: ${String(logged[0])}`)
  assert.is(({} as Record<string, unknown>).polluted, undefined)
  assert.is(shapeOfPrototypes(), shape, `no prototype gained or lost a key (seed ${seed})`)
  assert.is(await snapshot(), before, `the database is unchanged (seed ${seed})`)
  assert.is((await server.request('GET', '/health')).status, 200, 'the server still answers')
  assert.ok((statuses.get(400) ?? 0) > 0 && (statuses.get(422) ?? 0) > 0 && (statuses.get(413) ?? 0) > 0 && (statuses.get(415) ?? 0) > 0, summary)
})

test.run()
