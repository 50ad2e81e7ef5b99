import { request } from 'node:http'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createApp } from '../../../src/index.ts'
import { bookmark } from '../../../src/resources/index.ts'
import { resourceIn } from '../../helpers/machines.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

const test = suite('absolute links: public URL, listening host, forged Host')
let server: TestServer
let publicServer: TestServer
test.before(async () => {
  server = await startServer()
  publicServer = await startServer({ publicUrl: 'https://api.example.org/' })
})
test.after(async () => {
  await server.close()
  await publicServer.close()
})

/** GETs a Siren representation with a chosen `Host` (fetch would not let us forge it). */
function sirenWithHost(s: TestServer, path: string, host: string): Promise<{ self: string; actions: string[] }> {
  const target = new URL(s.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path, headers: { host, accept: 'application/vnd.siren+json', authorization: `Bearer ${s.tokens['north-reader']}` } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => {
        const body = JSON.parse(text) as { links: { rel: string[]; href: string }[]; actions: { href: string }[] }
        resolve({ self: body.links.find((l) => l.rel.includes('self'))?.href ?? '', actions: body.actions.map((a) => a.href) })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

test('the listening host is trusted', async () => {
  const { url } = await resourceIn(server, bookmark, 'queued', 'north-reader')
  const r = await sirenWithHost(server, url, new URL(server.url).host)
  assert.is(r.self, `${server.url}${url}`)
})

test('localhost on a loopback address is trusted', async () => {
  const { url } = await resourceIn(server, bookmark, 'queued', 'north-reader')
  const r = await sirenWithHost(server, url, `localhost:${new URL(server.url).port}`)
  assert.is(r.self, `http://localhost:${new URL(server.url).port}${url}`)
})

/** Sends one request with a chosen `Host` (fetch would not let us forge it); the body parsed when it is JSON. */
function withHost(s: TestServer, method: string, path: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const target = new URL(s.url)
  return new Promise((resolve, reject) => {
    const req = request({ method, host: target.hostname, port: target.port, path, headers: { host, ...headers } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: /json/.test(res.headers['content-type'] ?? '') ? JSON.parse(text) : undefined }))
    })
    req.on('error', reject)
    req.end(headers['content-type'] === undefined ? undefined : '{"patient":"P","address":"A","scheduled_for":"2026-12-01T09:00:00Z"}')
  })
}

test('a Host that is not ours is 421, on every route (DNS rebinding)', async () => {
  for (const path of ['/', '/health', '/bookmarks', '/nothing']) {
    const r = await withHost(server, 'GET', path, `evil.example:${new URL(server.url).port}`)
    assert.is(r.status, 421, path)
    assert.is(r.json.type, '/problems/misdirected-request')
    assert.is(r.json.status, 421)
  }
})

test('a rebound page cannot write with the cookie: Host and Origin both evil is 421, and nothing is created', async () => {
  const port = new URL(server.url).port
  const cookie = `affordance_token=${server.tokens['north-dispatcher'] ?? ''}`
  const before = (await server.request('GET', '/visits', { as: 'north-dispatcher' })).json.items.length
  const r = await withHost(server, 'POST', '/visits', `evil.example:${port}`, { cookie, origin: `http://evil.example:${port}`, 'content-type': 'application/json' })
  assert.is(r.status, 421)
  assert.is((await server.request('GET', '/visits', { as: 'north-dispatcher' })).json.items.length, before)
  const own = await withHost(server, 'POST', '/visits', `127.0.0.1:${port}`, { cookie, origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' })
  assert.is(own.status, 201, 'the same write from our own origin passes')
})

test('with a public URL: its host and the listening address pass, others are 421', async () => {
  const { url } = await resourceIn(publicServer, bookmark, 'queued', 'north-reader')
  for (const host of [new URL(publicServer.url).host, 'api.example.org', 'API.example.org:443']) {
    const r = await sirenWithHost(publicServer, url, host)
    assert.is(r.self, `https://api.example.org${url}`)
    assert.equal(r.actions, [`https://api.example.org${url}/read`, `https://api.example.org${url}/archive`])
  }
  assert.is((await withHost(publicServer, 'GET', '/', 'evil.example')).status, 421)
  assert.is((await withHost(publicServer, 'GET', '/', 'api.example.org:8443')).status, 421, 'another port is another origin')
})

test('allowed hosts (option or ALLOWED_HOSTS) let a proxy through: a name alone matches any port', async () => {
  const proxied = await startServer({ allowedHosts: ['Backend.internal', 'gateway.internal:8080'] })
  process.env.ALLOWED_HOSTS = 'backend.internal, other.internal'
  const fromEnv = await startServer()
  delete process.env.ALLOWED_HOSTS
  try {
    assert.is((await withHost(proxied, 'GET', '/', 'backend.internal:3000')).status, 200)
    assert.is((await withHost(proxied, 'GET', '/', 'backend.internal')).status, 200)
    assert.is((await withHost(proxied, 'GET', '/', 'gateway.internal:8080')).status, 200)
    assert.is((await withHost(proxied, 'GET', '/', 'gateway.internal:9090')).status, 421)
    assert.is((await withHost(proxied, 'GET', '/', 'evil.example')).status, 421)
    assert.is((await withHost(fromEnv, 'GET', '/', 'other.internal:1')).status, 200)
    assert.is((await withHost(fromEnv, 'GET', '/', 'evil.example')).status, 421)
  } finally {
    await proxied.close()
    await fromEnv.close()
  }
})

test('a public URL that is not an http(s) origin stops start-up', () => {
  for (const publicUrl of ['ftp://api.example.org', 'api.example.org', 'https://api.example.org/v1']) {
    assert.throws(() => createApp({ resources: [bookmark], database: ':memory:', publicUrl }), /PUBLIC_URL/)
  }
})

test.run()
