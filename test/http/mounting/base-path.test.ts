import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { settingsOf } from '../../../src/http/settings.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { startServer } from '../../helpers/server.ts'

const test = suite('basePath')

test('is checked at start-up: one leading slash, no trailing slash, plain segments', () => {
  for (const bad of ['api', '/api/', '//api', '/a//b', '/a b', '/a?b', '/a#b', '/a/./b', '/..', '/a%2Fb', '/ä', `/${'a'.repeat(300)}`]) {
    assert.throws(() => settingsOf({ basePath: bad }, {}), (e: Error) => e.message.startsWith('basePath') && e.message.length < 200, bad)
  }
  for (const [good, is] of [['/api', '/api'], ['/v1/tickets-api', '/v1/tickets-api'], ['/a.b_c~d', '/a.b_c~d'], ['', ''], ['/', '']] as const) assert.is(settingsOf({ basePath: good }, {}).basePath, is, good)
  assert.is(settingsOf({}, {}).basePath, '')
  assert.is(settingsOf({}, { BASE_PATH: '/from-env' }).basePath, '/from-env')
  assert.throws(() => settingsOf({}, { BASE_PATH: 'nope/' }), /BASE_PATH/)
})

test('a server of its own answers only under the base path, and 404 elsewhere with the prefixed problem type', async () => {
  const server = await startServer({ basePath: '/api' })
  try {
    for (const path of ['/', '/bookmarks', '/health', '/apix', '/session']) {
      const r = await server.request('GET', path, { as: 'north-reader', headers: { accept: 'application/json' } })
      assert.is(r.status, 404, path)
      assert.is(r.json.type, '/api/problems/not-found', path)
    }
    const entry = await server.request('GET', '/api/', { as: 'north-reader', headers: { accept: 'application/hal+json' } })
    assert.is(entry.status, 200)
    assert.is(entry.json._links.self.href, '/api/')
    assert.is(entry.json._links.bookmarks.href, '/api/bookmarks')
    assert.is((await server.request('GET', '/api/health')).status, 200)
    const type = await server.request('GET', '/api/problems/not-found')
    assert.is(type.json.type, '/api/problems/not-found')
  } finally {
    await server.close()
  }
})

test('problems the server answers before the app sees the request are typed under the base path too', async () => {
  const server = await startServer({ basePath: '/api' })
  try {
    const port = Number(new URL(server.url).port)
    for (const [label, request, type] of [
      ['no Host', 'GET /api/ HTTP/1.1\r\n\r\n', '/api/problems/malformed-request'],
      ['a broken request line', 'GET /api/ HTTP/1.1 x\r\nHost: a\r\n\r\n', '/api/problems/malformed-request'],
      ['an unknown method', 'BREW /api/ HTTP/1.1\r\nHost: a\r\n\r\n', '/api/problems/not-implemented'],
      ['CONNECT', 'CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n', '/api/problems/not-implemented'],
    ] as const) {
      const outcome = await rawRequest(port, Buffer.from(request, 'latin1'), label)
      assert.is(outcome.kind, 'reply', label)
      if (outcome.kind === 'reply') assert.is(outcome.reply.json.type, type, label)
    }
  } finally {
    await server.close()
  }
})

test('the sign-in cookie is scoped to the base path; over https it takes the __Secure- prefix, since __Host- requires Path=/', async () => {
  const server = await startServer({ basePath: '/api', demoUsers: [{ id: 'u', name: 'U', tenant: 't', roles: ['reader'] }] }, {}, { demo: true })
  try {
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: server.url }
    const plain = await server.request('POST', '/api/session', { headers: form, body: 'user=u' })
    assert.is(plain.status, 303)
    assert.is(plain.headers.get('location'), '/api/')
    const cookie = plain.headers.get('set-cookie') ?? ''
    assert.match(cookie, /^affordance_token=[^;]+;.*; Path=\/api(;|$)/)
    const signedIn = await server.request('GET', '/api/session', { headers: { cookie: cookie.split(';')[0] ?? '' } })
    assert.match(signedIn.text, /action="\/api\/session\/delete"/)
    const out = await server.request('POST', '/api/session/delete', { headers: { ...form, cookie: cookie.split(';')[0] ?? '' } })
    assert.is(out.headers.get('location'), '/api/session')
    assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0; .*Path=\/api(;|$)/)
  } finally {
    await server.close()
  }
  const https = await startServer({ basePath: '/api', publicUrl: 'https://example.org', allowedHosts: ['127.0.0.1'], demoUsers: [{ id: 'u', name: 'U', tenant: 't', roles: ['reader'] }] }, {}, { demo: true })
  try {
    const r = await https.request('POST', '/api/session', { headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://example.org', host: 'example.org' }, body: 'user=u' })
    assert.is(r.status, 303, r.text)
    assert.match(r.headers.get('set-cookie') ?? '', /^__Secure-affordance_token=[^;]+;.*Path=\/api; Secure$/)
  } finally {
    await https.close()
  }
})

test.run()
