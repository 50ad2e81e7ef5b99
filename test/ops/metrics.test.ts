import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { AddressInfo } from 'node:net'
import { startServer, type TestServer } from '../helpers/server.ts'

// Prometheus text on a port of its own, per app; never on the API port.
const test = suite('metrics')
let one: TestServer
let two: TestServer
test.before(async () => {
  one = await startServer({ metricsPort: 0 })
  two = await startServer({ metricsPort: 0 })
})
test.after(async () => {
  await one.close()
  await two.close()
})

const portOf = (s: TestServer): number => (s.app.metricsServer?.address() as AddressInfo).port

async function scrape(s: TestServer): Promise<string> {
  const server = s.app.metricsServer
  assert.ok(server !== undefined)
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve))
  const r = await fetch(`http://127.0.0.1:${portOf(s)}/metrics`)
  assert.is(r.status, 200)
  assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
  return r.text()
}

// The text exposition format, line by line: a comment (HELP or TYPE), or a sample. Values are
// Go floats, whose parser takes NaN in any case: prom-client writes an idle event-loop lag as "Nan".
const sampleLine = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (-?[0-9.e+-]+|[Nn][Aa][Nn]|[+-]Inf)( -?\d+)?$/
const commentLine = /^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$/

function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '') continue
    if (line.startsWith('#')) {
      assert.ok(commentLine.test(line), `not a comment line: ${JSON.stringify(line)}`)
      continue
    }
    assert.ok(sampleLine.test(line), `not a sample line: ${JSON.stringify(line)}`)
    const at = line.lastIndexOf(' ')
    samples.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return samples
}

test('/metrics parses as Prometheus text and counts a transition, by type, action, from and to', async () => {
  const created = await one.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/m', title: 'M' } })
  const moved = await one.request('POST', `${created.headers.get('location') ?? ''}/read`, { as: 'north-reader' })
  assert.is(moved.status, 200)
  const samples = parse(await scrape(one))
  assert.is(samples.get('affordance_transitions_total{type="bookmark",action="read",from="queued",to="read"}'), 1)
  assert.ok((samples.get('affordance_http_request_duration_seconds_count{method="POST",route="/bookmarks/:id/:action",status_class="2xx"}') ?? 0) >= 1)
  assert.ok((samples.get('affordance_http_request_duration_seconds_count{method="POST",route="/bookmarks",status_class="2xx"}') ?? 0) >= 1)
  assert.ok([...samples.keys()].some((k) => k.startsWith('process_cpu_user_seconds_total')), 'default metrics')
  // SQLite commits the writes of a turn together; PostgreSQL commits each in its own statement.
  if (one.storeKind === 'sqlite') assert.ok((samples.get('affordance_group_commit_batch_size_count') ?? 0) >= 2)
})

test('refusals by status; replays and refusals count no transition', async () => {
  const created = await one.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/n', title: 'N' } })
  const at = created.headers.get('location') ?? ''
  const key = { 'idempotency-key': 'metrics-replay-1' }
  assert.is((await one.request('POST', `${at}/archive`, { as: 'north-reader', headers: key })).status, 200)
  assert.is((await one.request('POST', `${at}/archive`, { as: 'north-reader', headers: key })).status, 200)
  assert.is((await one.request('POST', `${at}/read`, { as: 'north-reader' })).status, 409)
  assert.is((await one.request('GET', '/bookmarks')).status, 401)
  const samples = parse(await scrape(one))
  assert.is(samples.get('affordance_transitions_total{type="bookmark",action="archive",from="queued",to="archived"}'), 1)
  assert.is(samples.get('affordance_transitions_total{type="bookmark",action="read",from="archived",to="read"}'), undefined)
  assert.ok((samples.get('affordance_refusals_total{status="409"}') ?? 0) >= 1)
  assert.ok((samples.get('affordance_refusals_total{status="401"}') ?? 0) >= 1)
})

test('token cache hits and misses are counted', async () => {
  await one.request('GET', '/bookmarks', { as: 'south-reader' })
  await one.request('GET', '/bookmarks', { as: 'south-reader' })
  const samples = parse(await scrape(one))
  assert.ok((samples.get('affordance_token_cache_total{result="miss"}') ?? 0) >= 1)
  assert.ok((samples.get('affordance_token_cache_total{result="hit"}') ?? 0) >= 1)
})

test('two apps in one process keep their own counts', async () => {
  const samples = parse(await scrape(two))
  assert.is([...samples.keys()].filter((k) => k.startsWith('affordance_transitions_total{')).length, 0)
  assert.ok(portOf(one) !== portOf(two))
})

test('what the store itself does is measured: WAL checkpoints on SQLite, the connection pool on PostgreSQL', async () => {
  await one.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/c', title: 'C' } })
  if (one.storeKind === 'postgres') {
    const samples = parse(await scrape(one))
    const idle = samples.get('affordance_database_connections{state="idle"}') ?? 0
    assert.ok(idle >= 1, 'a connection was used and is back in the pool')
    assert.is(samples.get('affordance_database_connections{state="busy"}'), 0)
    assert.is(samples.get('affordance_database_connections{state="waiting"}'), 0)
    return
  }
  let count = 0
  for (let i = 0; i < 40 && count === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    count = parse(await scrape(one)).get('affordance_checkpoint_duration_seconds_count') ?? 0
  }
  assert.ok(count >= 1)
})

test('the API port serves no metrics, to anyone', async () => {
  for (const as of [undefined, 'north-admin']) {
    const r = await one.request('GET', '/metrics', as === undefined ? {} : { as })
    assert.is(r.status, 404)
  }
})

test('the metrics port answers only GET /metrics', async () => {
  assert.is((await fetch(`http://127.0.0.1:${portOf(one)}/`)).status, 404)
  assert.is((await fetch(`http://127.0.0.1:${portOf(one)}/metrics`, { method: 'POST' })).status, 405)
})

test.run()
