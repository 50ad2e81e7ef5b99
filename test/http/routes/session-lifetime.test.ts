import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { demoUsers } from '../../../src/resources/index.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Sessions end: signing out revokes the token a sign-in issued, and that token expires.
const test = suite('session lifetime')
let now = Date.now()
let server: TestServer
test.before(async () => { server = await startServer({ demoUsers, now: () => now, sessionTtlMs: 60_000 }) })
test.after(async () => { await server.close() })

const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
const signIn = (s: TestServer, fields: Record<string, string>) =>
  s.request('POST', '/session', { body: new URLSearchParams(fields).toString(), headers: { ...FORM, origin: s.url } })
const cookieOf = (setCookie: string | null): string => (setCookie ?? '').split(';')[0] ?? ''
const bookmarksWith = (s: TestServer, cookie: string) => s.request('GET', '/bookmarks', { headers: { cookie, accept: 'application/json' } })
const signOut = (s: TestServer, cookie: string) => s.request('POST', '/session/delete', { headers: { cookie, origin: s.url } })

test('signing out revokes the token the sign-in issued: the old cookie no longer works', async () => {
  const cookie = cookieOf((await signIn(server, { user: 'north-reader' })).headers.get('set-cookie'))
  assert.is((await bookmarksWith(server, cookie)).status, 200)
  assert.is((await signOut(server, cookie)).status, 303)
  const after = await bookmarksWith(server, cookie)
  assert.is(after.status, 401)
  assert.match(after.json.detail, /revoked/)
})

test('signing out of a pasted token clears the cookie but leaves the token working', async () => {
  const token = server.tokens['north-reader'] as string
  const cookie = cookieOf((await signIn(server, { token })).headers.get('set-cookie'))
  assert.is((await signOut(server, cookie)).status, 303)
  assert.is((await server.request('GET', '/bookmarks', { token })).status, 200)
})

test('a sign-in token expires after the session lifetime, and the cookie says so too', async () => {
  const r = await signIn(server, { user: 'north-reader' })
  assert.match(r.headers.get('set-cookie') ?? '', /; Max-Age=60;/)
  const cookie = cookieOf(r.headers.get('set-cookie'))
  now += 59_000
  assert.is((await bookmarksWith(server, cookie)).status, 200)
  now += 1_000
  const expired = await bookmarksWith(server, cookie)
  assert.is(expired.status, 401)
  assert.match(expired.headers.get('www-authenticate') ?? '', /error="invalid_token", error_description="The bearer token has expired\./)
})

test('sign-in is rate-limited per client address, with Retry-After', async () => {
  const limited = await startServer({ demoUsers, signInRateLimit: { capacity: 3, refillPerSecond: 0.1 } })
  try {
    const codes: number[] = []
    for (let i = 0; i < 4; i++) codes.push((await signIn(limited, { token: 'aff_guess' })).status)
    assert.equal(codes, [401, 401, 401, 429])
    const refused = await signIn(limited, { user: 'north-reader' })
    assert.is(refused.status, 429)
    assert.is(refused.headers.get('retry-after'), '10')
    assert.is(refused.headers.get('set-cookie'), null)
    assert.is((await limited.request('GET', '/bookmarks', { as: 'north-reader' })).status, 200, 'other requests are not held back')
  } finally {
    await limited.close()
  }
})

test('sign-in is rate-limited by default', async () => {
  const plain = await startServer({ demoUsers })
  try {
    let status = 0
    for (let i = 0; i < 50 && status !== 429; i++) status = (await signIn(plain, { token: 'aff_guess' })).status
    assert.is(status, 429)
  } finally {
    await plain.close()
  }
})

test.run()
