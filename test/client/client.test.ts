import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { HypermediaClient, ProblemError } from '../../src/index.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const test = suite('client: HypermediaClient')
let server: TestServer
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = []
let fixture: Server
let fixtureUrl = ''

// A tiny HTML site: a form posted with 303 See Other, a 204 and a refusal that is not a problem document.
const page = (etag: string): string => `<a rel="up" href="/">home</a><form method="post" action="/things/1/poke"><input type="hidden" name="_if_match" value="${etag.replaceAll('"', '&quot;')}"><input name="how"></form><form method="post" action="/things/1/nothing" data-action="nothing"></form><form method="post" action="/things/1/teapot" data-action="teapot"></form><form action="/things" data-action="search"><input type="search" name="q"></form>`
test.before(async () => {
  server = await startServer()
  let version = 1
  fixture = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString() })
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html', etag: req.url?.endsWith('?weak') === true ? `W/"${version}"` : `"${version}"` }).end(page(`"${version}"`))
      } else if (req.url === '/things/1/poke') {
        version++
        res.writeHead(303, { location: '/things/1' }).end()
      } else if (req.url === '/things/1/nothing') {
        res.writeHead(204).end()
      } else {
        res.writeHead(418, { 'content-type': 'text/plain' }).end('short and stout')
      }
    })
  })
  await new Promise<void>((resolve) => fixture.listen(0, '127.0.0.1', resolve))
  fixtureUrl = `http://127.0.0.1:${(fixture.address() as AddressInfo).port}`
})
test.after(async () => {
  await server.close()
  fixture.closeAllConnections()
  await new Promise<void>((resolve) => fixture.close(() => resolve()))
})

const as = (user: string): HypermediaClient => new HypermediaClient({ token: server.tokens[user] ?? '' })

test('from the entry point: follow a link, create through the create action, land on the new resource (201 Location)', async () => {
  const visits = await (await as('north-dispatcher').open(`${server.url}/`)).follow('visits')
  const v = await visits.act('create', { patient: 'Ada', address: '1 Road', scheduled_for: '2026-12-01T09:00:00Z' })
  assert.match(v.url, /\/visits\/[0-9a-f-]{36}$/)
  assert.is(v.data.status, 'scheduled')
  assert.equal(Object.keys(v.actions).sort(), ['assign', 'cancel'])
  assert.is(v.links.history, `${v.url}/history`)
  assert.match(v.etag ?? '', /^"1-/)
})

test('act sends the ETag as If-Match and a fresh Idempotency-Key; a stale ETag is a typed 412', async () => {
  const visits = await (await as('north-dispatcher').open(`${server.url}/`)).follow('visits')
  const v = await visits.act('create', { patient: 'Bo', address: '2 Road', scheduled_for: '2026-12-01T09:00:00Z' })
  const assigned = await v.act('assign', { clinician_id: 'north-clinician-1' })
  assert.is(assigned.data.status, 'assigned')
  assert.is(assigned.url, v.url)
  const stale = await v.act('cancel', { reason: 'late' }).catch((e: unknown) => e)
  assert.instance(stale, ProblemError)
  assert.is((stale as ProblemError).status, 412)
  assert.is((stale as ProblemError).problem.status, 412)
})

test('refusals are ProblemErrors with the details: 409 names the state, 401 without a token', async () => {
  const visits = await (await as('north-dispatcher').open(`${server.url}/`)).follow('visits')
  const v = await visits.act('create', { patient: 'Di', address: '4 Road', scheduled_for: '2026-12-01T09:00:00Z' })
  const cancelled = await v.act('cancel', { reason: 'x' })
  assert.equal(cancelled.actions, {}, 'nothing is offered once cancelled')
  const late = await v.act('assign', { clinician_id: 'north-clinician-1' }, { ifMatch: cancelled.etag ?? false }).catch((e: unknown) => e)
  assert.instance(late, ProblemError)
  assert.is((late as ProblemError).status, 409)
  assert.is((late as ProblemError).problem.current_state, 'cancelled')
  const anonymous = await new HypermediaClient().open(`${server.url}/visits`).catch((e: unknown) => e)
  assert.instance(anonymous, ProblemError)
  assert.is((anonymous as ProblemError).status, 401)
})

test('unknown link or action names throw, listing what there is', async () => {
  const root = await as('north-reader').open(`${server.url}/`)
  assert.throws(() => root.follow('nowhere'), /no link "nowhere".*bookmarks/)
  assert.throws(() => root.act('explode'), /no action "explode"/)
})

test('HTML forms: urlencoded with hidden fields, If-Match and Idempotency-Key; 303 is followed with GET', async () => {
  const c = new HypermediaClient({ accept: 'text/html' })
  const thing = await c.open(`${fixtureUrl}/things/1`)
  assert.equal(Object.keys(thing.actions), ['poke', 'nothing', 'teapot', 'search'])
  const after = await thing.act('poke', { how: 'gently & firmly' })
  const post = seen.find((s) => s.method === 'POST')
  assert.is(post?.headers['content-type'], 'application/x-www-form-urlencoded')
  assert.is(post?.body, '_if_match=%221%22&how=gently+%26+firmly')
  assert.is(post?.headers['if-match'], '"1"')
  assert.match(String(post?.headers['idempotency-key']), /^[0-9a-f-]{36}$/)
  assert.is(seen.at(-1)?.method, 'GET')
  assert.is(after.etag, '"2"')
  assert.is(after.links.up, `${fixtureUrl}/`)
})

test('a weak ETag is not sent as If-Match (it could never match)', async () => {
  const thing = await new HypermediaClient({ accept: 'text/html' }).open(`${fixtureUrl}/things/1?weak`)
  assert.match(thing.etag ?? '', /^W\//)
  await thing.act('poke')
  const post = seen.filter((s) => s.method === 'POST').at(-1)
  assert.is(post?.headers['if-match'], undefined)
})

test('a GET form puts its input in the query and sends no body', async () => {
  const thing = await new HypermediaClient({ accept: 'text/html' }).open(`${fixtureUrl}/things/1`)
  const found = await thing.act('search', { q: 'a b&c' })
  assert.is(seen.at(-1)?.url, '/things?q=a+b%26c')
  assert.is(seen.at(-1)?.body, '')
  assert.is(found.url, `${fixtureUrl}/things?q=a+b%26c`)
})

test('204 refetches the resource; a refusal that is no problem document still is a ProblemError', async () => {
  const thing = await new HypermediaClient({ accept: 'text/html' }).open(`${fixtureUrl}/things/1`)
  const same = await thing.act('nothing')
  assert.is(same.url, `${fixtureUrl}/things/1`)
  const err = await thing.act('teapot').catch((e: unknown) => e)
  assert.instance(err, ProblemError)
  assert.equal((err as ProblemError).problem, { type: 'about:blank', title: "I'm a Teapot", status: 418, detail: 'short and stout' })
})

test.run()
