import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startServer, type TestServer } from '../../helpers/server.ts'

const test = suite('machine diagrams as SVG')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const svg = { accept: 'image/svg+xml' }

test('GET /machines/visit as image/svg+xml draws every state', async () => {
  const r = await server.request('GET', '/machines/visit', { headers: svg })
  assert.is(r.status, 200)
  assert.is(r.headers.get('content-type'), 'image/svg+xml')
  assert.ok(r.text.includes('<svg'))
  for (const s of ['scheduled', 'assigned', 'en_route', 'on_site', 'completed', 'cancelled', 'missed']) assert.ok(r.text.includes(`>${s}</text>`), s)
  assert.not.ok(r.text.includes('#ffd54f'))
})

test('?state= highlights that state only', async () => {
  const r = await server.request('GET', '/machines/visit?state=on_site', { headers: svg })
  assert.is(r.status, 200)
  assert.is(r.text.match(/#ffd54f/g)?.length, 1)
  const other = await server.request('GET', '/machines/visit?state=missed', { headers: svg })
  assert.is.not(other.text, r.text)
})

test('an unknown state is a 400, an unknown machine a 404', async () => {
  assert.is((await server.request('GET', '/machines/visit?state=nowhere', { headers: svg })).status, 400)
  assert.is((await server.request('GET', '/machines/nothing', { headers: svg })).status, 404)
})

test('SVG has its own ETag and Vary: Accept', async () => {
  const a = await server.request('GET', '/machines/bookmark', { headers: svg })
  const b = await server.request('GET', '/machines/bookmark', { headers: { accept: 'text/vnd.graphviz' } })
  assert.is.not(a.headers.get('etag'), b.headers.get('etag'))
  assert.ok((a.headers.get('vary') ?? '').includes('Accept'))
})

test('importing the library starts no Graphviz; the first SVG an app serves does', () => {
  const script = fileURLToPath(new URL('../../helpers/svg-first-use.ts', import.meta.url))
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 })
  assert.equal(JSON.parse(out), { atImport: 0, afterSvg: 1, status: 200, svg: true })
})

test.run()
