import { request } from 'node:http'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createApp } from '../../src/index.ts'
import { bookmark } from '../../src/resources/index.ts'
import { resourceIn } from '../helpers/machines.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

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

test('a forged Host falls back to the listening address', async () => {
  const { url } = await resourceIn(server, bookmark, 'queued', 'north-reader')
  const r = await sirenWithHost(server, url, 'evil.example')
  assert.is(r.self, `${server.url}${url}`)
  for (const href of r.actions) assert.ok(href.startsWith(`${server.url}/`), href)
})

test('a configured public URL wins over any Host', async () => {
  const { url } = await resourceIn(publicServer, bookmark, 'queued', 'north-reader')
  for (const host of [new URL(publicServer.url).host, 'evil.example']) {
    const r = await sirenWithHost(publicServer, url, host)
    assert.is(r.self, `https://api.example.org${url}`)
    assert.equal(r.actions, [`https://api.example.org${url}/read`, `https://api.example.org${url}/archive`])
  }
})

test('a public URL that is not an http(s) origin stops start-up', () => {
  for (const publicUrl of ['ftp://api.example.org', 'api.example.org', 'https://api.example.org/v1']) {
    assert.throws(() => createApp({ resources: [bookmark], database: ':memory:', publicUrl }), /PUBLIC_URL/)
  }
})

test.run()
