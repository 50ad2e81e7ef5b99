import { createHash } from 'node:crypto'
import { statSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openSqliteStore } from '../../../src/index.ts'
import { demoUsers } from '../../../src/resources/index.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// What a browser is told: never sniff, never frame, load nothing from elsewhere; and what the disk keeps private.
const test = suite('browser hardening')
let server: TestServer
test.before(async () => { server = await startServer({ demoUsers }) })
test.after(async () => { await server.close() })

const HTML = { accept: 'text/html' }

test('X-Content-Type-Options: nosniff on every kind of response with a body (a 304 has none)', async () => {
  const replies = [
    await server.request('GET', '/', { headers: { accept: 'application/json' } }),
    await server.request('GET', '/', { headers: HTML }),
    await server.request('GET', '/bookmarks'),
    await server.request('GET', '/nowhere', { headers: HTML }),
    await server.request('GET', '/machines/visit', { headers: { accept: 'image/svg+xml' } }),
    await server.request('POST', '/session/delete', { headers: { origin: server.url } }),
  ]
  for (const r of replies) assert.is(r.headers.get('x-content-type-options'), 'nosniff', `${r.status} ${r.headers.get('content-type') ?? ''}`)
})

test('answers to requests the parser refused carry nosniff too', async () => {
  const outcome = await rawRequest(Number(new URL(server.url).port), Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'), 'bad header line')
  assert.is(outcome.kind, 'reply')
  if (outcome.kind !== 'reply') return
  assert.is(outcome.reply.status, 400)
  assert.is(outcome.reply.headers.get('x-content-type-options'), 'nosniff')
})

test('HTML pages and problem pages forbid framing and loading from elsewhere; the inline sheet is allowed by its hash', async () => {
  for (const path of ['/', '/session', '/nowhere']) {
    const r = await server.request('GET', path, { headers: HTML })
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/)
    const csp = r.headers.get('content-security-policy') ?? ''
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]))
    assert.is(directives.get('default-src'), "'none'", path)
    assert.is(directives.get('frame-ancestors'), "'none'", path)
    assert.is(directives.get('form-action'), "'self'", path)
    assert.not.match(csp, /unsafe-inline|https?:|\*/, path)
    const sheet = /<style>([\s\S]*?)<\/style>/.exec(r.text)?.[1] ?? ''
    assert.ok(sheet.length > 0)
    assert.is(directives.get('style-src'), `'sha256-${createHash('sha256').update(sheet).digest('base64')}'`, path)
  }
})

test('JSON answers carry no page policy', async () => {
  const r = await server.request('GET', '/', { headers: { accept: 'application/json' } })
  assert.is(r.headers.get('content-security-policy'), null)
})

test('behind an https PUBLIC_URL the cookie takes the __Host- prefix, and that cookie signs in', async () => {
  const proxied = await startServer({ demoUsers, publicUrl: 'https://affordance.example' })
  try {
    const r = await proxied.request('POST', '/session', { body: 'user=north-reader', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://affordance.example' } })
    assert.is(r.status, 303)
    const setCookie = r.headers.get('set-cookie') ?? ''
    assert.match(setCookie, /^__Host-affordance_token=aff_[^;]+; Max-Age=\d+; HttpOnly; SameSite=Strict; Path=\/; Secure$/)
    const cookie = setCookie.split(';')[0] ?? ''
    assert.is((await proxied.request('GET', '/bookmarks', { headers: { cookie } })).status, 200)
    assert.is((await proxied.request('GET', '/bookmarks', { headers: { cookie: cookie.replace('__Host-', '') } })).status, 401, 'the unprefixed name, which a sibling site could set, is not read')
    const out = await proxied.request('POST', '/session/delete', { headers: { cookie, origin: 'https://affordance.example' } })
    assert.match(out.headers.get('set-cookie') ?? '', /^__Host-affordance_token=; Max-Age=0;/)
  } finally {
    await proxied.close()
  }
})

test('a new database file and its -wal and -shm files are readable by their owner only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-mode-'))
  try {
    const file = join(dir, 'private.db')
    const store = openSqliteStore({ filename: file, checkpointInterval: 0, groupCommit: false })
    store.setMeta('touched', '1')
    for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.is(statSync(f).mode & 0o777, 0o600, f)
    store.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
