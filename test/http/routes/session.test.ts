import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { demoUsers } from '../../../src/resources/index.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Signing people in with a cookie, and the same-origin rule for cookie-authenticated writes.
const test = suite('session and same-origin check')
let server: TestServer
let bare: TestServer
test.before(async () => {
  server = await startServer({ demoUsers })
  bare = await startServer()
})
test.after(async () => {
  await server.close()
  await bare.close()
})

const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
const signIn = (s: TestServer, fields: Record<string, string>, headers: Record<string, string> = { origin: s.url }) =>
  s.request('POST', '/session', { body: new URLSearchParams(fields).toString(), headers: { ...FORM, ...headers } })
const cookieOf = (setCookie: string | null): string => (setCookie ?? '').split(';')[0] ?? ''
const createWith = (cookie: string, headers: Record<string, string>) =>
  server.request('POST', '/bookmarks', { json: { bookmark_url: 'https://example.org/x', title: 'X' }, headers: { cookie, accept: 'application/json', ...headers } })
const count = async (): Promise<number> => (await server.request('GET', '/bookmarks?limit=100', { as: 'north-reader' })).json.items.length

let readerCookie = ''

test('GET /session offers every demo user and a token field, each with a label', async () => {
  const r = await server.request('GET', '/session', { headers: { accept: 'text/html' } })
  assert.is(r.status, 200)
  assert.match(r.headers.get('content-type') ?? '', /^text\/html/)
  for (const u of demoUsers) assert.ok(r.text.includes(`<option value="${u.id}">`), u.id)
  assert.match(r.text, /<label for="form-token-token">/)
  assert.match(r.headers.get('vary') ?? '', /Cookie/)
})

test('the sign-in page exists only as HTML: a JSON-only client gets 406', async () => {
  const r = await server.request('GET', '/session', { headers: { accept: 'application/json' } })
  assert.is(r.status, 406)
})

test('picking a demo user sets an HttpOnly, SameSite=Strict cookie and 303s home', async () => {
  const r = await signIn(server, { user: 'north-reader' })
  assert.is(r.status, 303, r.text)
  assert.is(r.headers.get('location'), '/')
  assert.match(r.headers.get('set-cookie') ?? '', /^affordance_token=aff_[A-Za-z0-9_-]+; Max-Age=43200; HttpOnly; SameSite=Strict; Path=\/$/)
  readerCookie = cookieOf(r.headers.get('set-cookie'))
  const page = await server.request('GET', '/session', { headers: { cookie: readerCookie, accept: 'text/html' } })
  assert.match(page.text, /Signed in as <strong id="who">Reader \(north\)/)
})

test('the cookie authenticates reads without any Origin', async () => {
  const r = await server.request('GET', '/bookmarks', { headers: { cookie: readerCookie, accept: 'application/json' } })
  assert.is(r.status, 200)
})

test('pasting a token signs in with that very token', async () => {
  const token = server.tokens['north-admin'] as string
  const r = await signIn(server, { token })
  assert.is(r.status, 303)
  assert.is(cookieOf(r.headers.get('set-cookie')), `affordance_token=${token}`)
})

test('bad sign-ins are problems: unknown token 401, unknown user 422, nothing sent 422', async () => {
  const bad = await signIn(server, { token: 'aff_not-a-real-token' })
  assert.is(bad.status, 401)
  assert.match(bad.headers.get('www-authenticate') ?? '', /invalid_token/)
  assert.is(bad.headers.get('set-cookie'), null)
  assert.is((await signIn(server, { user: 'nobody' })).status, 422)
  assert.is((await signIn(server, {})).status, 422)
})

test('without the demoUsers option, picking a user is refused (pasting still works)', async () => {
  const r = await signIn(bare, { user: 'north-reader' })
  assert.is(r.status, 422)
  assert.match(r.json.detail, /no demo users/)
  assert.is((await signIn(bare, { token: bare.tokens['north-reader'] as string })).status, 303)
})

test('a sign-in posted from another origin is refused (login CSRF)', async () => {
  const r = await signIn(server, { user: 'north-admin' }, { origin: 'http://evil.example' })
  assert.is(r.status, 403)
  assert.is(r.headers.get('set-cookie'), null)
})

test('signing out clears the cookie and 303s to the sign-in page', async () => {
  const r = await server.request('POST', '/session/delete', { headers: { cookie: readerCookie, origin: server.url } })
  assert.is(r.status, 303)
  assert.is(r.headers.get('location'), '/session')
  assert.match(r.headers.get('set-cookie') ?? '', /^affordance_token=; Max-Age=0; HttpOnly; SameSite=Strict; Path=\/$/)
})

const csrfCases: [string, Record<string, string>, number][] = [
  ['own Origin', { origin: 'SELF' }, 201],
  ['Sec-Fetch-Site same-origin, no Origin', { 'sec-fetch-site': 'same-origin' }, 201],
  ['own Origin and Sec-Fetch-Site same-origin', { origin: 'SELF', 'sec-fetch-site': 'same-origin' }, 201],
  ['foreign Origin', { origin: 'http://evil.example' }, 403],
  ['Origin null', { origin: 'null' }, 403],
  ['same host, other port', { origin: 'http://127.0.0.1:1' }, 403],
  ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }, 403],
  ['Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site' }, 403],
  ['own Origin but Sec-Fetch-Site cross-site', { origin: 'SELF', 'sec-fetch-site': 'cross-site' }, 403],
  ['neither Origin nor Sec-Fetch-Site', {}, 403],
]
for (const [name, raw, status] of csrfCases) {
  test(`cookie POST with ${name} → ${status}`, async () => {
    const headers = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === 'SELF' ? server.url : v]))
    const before = await count()
    const r = await createWith(`affordance_token=${server.tokens['north-reader'] as string}`, headers)
    assert.is(r.status, status, r.text)
    assert.is(await count(), before + (status === 201 ? 1 : 0))
    if (status === 403) assert.match(r.json.detail, /another (site|origin)|show where it comes from/)
  })
}

test('bearer requests are unaffected by a foreign Origin', async () => {
  const r = await server.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/y', title: 'Y' }, headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } })
  assert.is(r.status, 201)
})

test('an Authorization field wins over the cookie; a bad cookie alone is 401 pointing at /session', async () => {
  const both = await server.request('GET', '/visits', { as: 'north-dispatcher', headers: { cookie: 'affordance_token=aff_unknown' } })
  assert.is(both.status, 200)
  const stale = await server.request('GET', '/visits', { headers: { cookie: 'affordance_token=aff_unknown', accept: 'application/json' } })
  assert.is(stale.status, 401)
  assert.match(stale.json.detail, /\/session/)
})

test('behind a configured https PUBLIC_URL the cookie is Secure and only that origin may post', async () => {
  const proxied = await startServer({ demoUsers, publicUrl: 'https://affordance.example/' })
  try {
    const ok = await signIn(proxied, { user: 'north-reader' }, { origin: 'https://affordance.example' })
    assert.is(ok.status, 303)
    assert.match(ok.headers.get('set-cookie') ?? '', /; Secure$/)
    assert.is((await signIn(proxied, { user: 'north-reader' }, { origin: proxied.url })).status, 403)
  } finally {
    await proxied.close()
  }
})

test('a browser asking for a protected page without signing in gets a 401 page linking to the sign-in form', async () => {
  const r = await server.request('GET', '/bookmarks', { headers: { accept: 'text/html' } })
  assert.is(r.status, 401)
  assert.match(r.text, /<a href="\/session">Sign in<\/a>/)
})
test.run()
