import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { issueToken } from '../../src/index.ts'
import { hashToken } from '../../src/auth/bearer.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const test = suite('authentication')
let server: TestServer
let revoked: string
test.before(async () => {
  server = await startServer()
  revoked = await issueToken(server.app.store, { id: 'north-gone', name: 'Gone', tenant: 'north', roles: ['admin'] }, Date.now())
  server.app.store.revokeToken(hashToken(revoked), Date.now())
})
test.after(async () => { await server.close() })

const CHALLENGE = 'Bearer realm="affordance"'
const INVALID = `${CHALLENGE}, error="invalid_token"`

// RFC 6750 §3.1: no error code when no bearer token was sent; invalid_token when a bad one was.
const cases: readonly (readonly [string, string | undefined, string])[] = [
  ['no Authorization field', undefined, CHALLENGE],
  ['an empty Authorization field', '', CHALLENGE],
  ['another scheme (Basic)', 'Basic bm9ydGg6c2VjcmV0', CHALLENGE],
  ['a scheme that merely starts with Bearer', 'Bearerish abc', CHALLENGE],
  ['Bearer with no token', 'Bearer', INVALID],
  ['a token with forbidden characters', 'Bearer abc$def', INVALID],
  ['two tokens', 'Bearer abc def', INVALID],
  ['a token with a comma', 'Bearer abc,def', INVALID],
  ['padding in the middle', 'Bearer ab=cd', INVALID],
  ['an unknown token', `Bearer aff_${'A'.repeat(43)}`, INVALID],
  ['a revoked token', 'REVOKED', INVALID],
  ['a huge token (4 KiB)', `Bearer ${'a'.repeat(4096)}`, INVALID],
  ['a token with a stray quote', 'Bearer "aff_abc"', INVALID],
]

for (const [label, field, challenge] of cases) {
  for (const [method, path] of [['GET', '/visits'], ['POST', '/visits'], ['GET', '/bookmarks'], ['GET', '/visits/00000000-0000-0000-0000-000000000000/history']] as const) {
    test(`${label}: ${method} ${path} → 401 ${challenge === INVALID ? 'invalid_token' : 'challenge only'}`, async () => {
      const value = field === 'REVOKED' ? `Bearer ${revoked}` : field
      const r = await server.request(method, path, { headers: value === undefined ? {} : { authorization: value }, ...(method === 'POST' && { json: { patient: 'P', address: 'A', scheduled_for: '2026-12-01T09:00:00Z' } }) })
      assert.is(r.status, 401)
      const got = r.headers.get('www-authenticate') ?? ''
      if (challenge === INVALID) assert.match(got, new RegExp(`^${INVALID}, error_description="[ -!#-\\[\\]-~]+"$`))
      else assert.is(got, challenge)
      assert.is(r.json.type, '/problems/unauthorized')
    })
  }
}

test('the scheme name is case-insensitive (RFC 9110 §11.1)', async () => {
  const r = await server.request('GET', '/visits', { headers: { authorization: `bEaReR ${server.tokens['north-dispatcher'] ?? ''}` } })
  assert.is(r.status, 200)
})

test('an expired token gets 401 invalid_token, and the challenge says it expired', async () => {
  const expired = await issueToken(server.app.store, { id: 'north-late', name: 'Late', tenant: 'north', roles: ['admin'] }, Date.now() - 2000, { expiresAt: Date.now() - 1000 })
  const r = await server.request('GET', '/visits', { token: expired })
  assert.is(r.status, 401)
  assert.is(r.headers.get('www-authenticate'), `${INVALID}, error_description="The bearer token has expired."`)
  assert.match(r.json.detail, /expired/)
})

test('a revoked token tells why', async () => {
  const r = await server.request('GET', '/visits', { token: revoked })
  assert.match(r.json.detail, /revoked/)
})

test('nothing was created by refused requests', async () => {
  const r = await server.request('GET', '/visits?limit=100', { as: 'north-admin' })
  assert.is(r.json.items.length, 0)
})

for (const path of ['/', '/machines/visit', '/machines/bookmark', '/health', '/schemas/visit.json', '/problems/not-found']) {
  test(`public: GET ${path} needs no token, and a bad one does not matter`, async () => {
    assert.is((await server.request('GET', path)).status, 200)
    assert.is((await server.request('HEAD', path)).status, 200)
    assert.is((await server.request('GET', path, { headers: { authorization: 'Bearer nope' } })).status, 200)
  })
}

test('the machine diagram stays public in every format', async () => {
  for (const accept of ['application/json', 'text/vnd.graphviz', 'text/vnd.mermaid']) {
    const r = await server.request('GET', '/machines/visit', { headers: { accept } })
    assert.is(r.status, 200, accept)
  }
})

test.run()
