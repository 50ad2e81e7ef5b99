import { badBody, type Target } from './bad-bodies.ts'
import { framingRequest } from './bad-framing.ts'
import type { Random } from './random.ts'
import type { BadRequest, Fixture } from './bad-request-types.ts'

export type { BadRequest, Fixture } from './bad-request-types.ts'

const visitExample = { patient: 'P', address: 'A', scheduled_for: '2026-12-01T09:00:00Z' }
const targetsOf = (f: Fixture): readonly (Target & { user: string })[] => [
  { path: '/bookmarks', example: { bookmark_url: 'https://example.org/a', title: 'A' }, emptyRefused: true, user: 'north-reader' },
  { path: '/visits', example: visitExample, emptyRefused: true, user: 'north-dispatcher' },
  { path: `${f.bookmark}/read`, example: {}, emptyRefused: false, user: 'north-reader' },
  { path: `${f.bookmark}/archive`, example: {}, emptyRefused: false, user: 'north-admin' },
  { path: `${f.visit}/assign`, example: { clinician_id: 'north-clinician-1' }, emptyRefused: true, user: 'north-dispatcher' },
  { path: `${f.visit}/cancel`, example: { reason: 'R' }, emptyRefused: true, user: 'north-admin' },
  { path: `${f.visit}/check-in`, example: { lat: 1, lon: 2 }, emptyRefused: true, user: 'north-admin' },
]

const badTags = ['"', '"abc', 'abc', 'W/"1-j0"', '"1-j0", garbage', ',,,', '"999-j0"', '"-1-j0"', '"1e3-j0"', `"${'9'.repeat(40)}-j0"`, '""', ' ', '*, "1-j0"', 'W/*', '"\u00e9"']
const badDates = ['yesterday', 'Sun, 32 Nov 2026 25:61:61 GMT', '0', '-1', '9'.repeat(30), 'Thu, 01 Jan 1970 00:00:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', '2026-11-25T10:00:00Z', '']
const badAccepts = ['*/*;q=abc', 'application/json;q=0', 'text/html;q=0, */*;q=0', 'application/*;q=2', ';;;', 'a/b/c', 'application/json; charset=utf-7', `${'x/y, '.repeat(500)}x/y`, '*']
const badAuth = ['Bearer', 'Bearer ', 'Bearer aff_', 'Basic dXNlcjpwYXNz', 'bearer x y', `Bearer ${'a'.repeat(8000)}`, 'Bearer ====', 'Bearer a=b', 'Digest x', 'Bearer \u00e9']

/** An odd header field to add, as a name and value. */
function oddHeader(rand: Random): [string, string] {
  switch (rand.int(8)) {
    case 0: return ['if-match', rand.pick(badTags)]
    case 1: return ['if-none-match', rand.pick(badTags)]
    case 2: return [rand.pick(['if-modified-since', 'if-unmodified-since']), rand.pick(badDates)]
    case 3: return ['accept', rand.pick(badAccepts)]
    case 4: return ['authorization', rand.pick(badAuth)]
    case 5: return ['content-encoding', rand.pick(['gzip', 'br', 'x-unknown', 'identity, gzip', ''])]
    case 6: return [`x-${'h'.repeat(1 + rand.int(50))}`, 'v'.repeat(rand.int(8000))]
    default: return ['accept-charset', rand.pick(['utf-16', 'iso-8859-1;q=0', ''])]
  }
}

const oddPaths = (f: Fixture): string[] => [
  '/bookmarks/%E0%A4%A', '/bookmarks/%ZZ', '/bookmarks/%00', '/bookmarks/..%2f..%2fetc%2fpasswd', `${f.bookmark}%2fread`, '/visits/%2e%2e/bookmarks',
  '/bookmarks/\u00e9\u00e8', '/bookmarks/\ud83d\ude00', '/machines/%F0%9F%98%80', '/schemas/..%2fpackage.json', '/schemas/%2e%2e%2fpackage.json', '/problems/__proto__',
  '/problems/constructor', '/problems/toString', '/machines/__proto__', '/machines/visit?state=__proto__', '/machines/visit?state=a&state=b', '/bookmarks?limit=-1',
  '/bookmarks?limit=1e9', '/bookmarks?after=abc', '/bookmarks?after=99999999999999999999', '/bookmarks?limit=1&limit=2', '/bookmarks?__proto__[polluted]=yes',
  '/bookmarks?constructor[prototype][polluted]=yes', `${f.visit}/history?x=%ff`, `${f.visit}/nope`, `${f.visit}/assign/extra`, '/bookmarks/', '/visits/ ',
  `/bookmarks/${'a'.repeat(300)}`, `/bookmarks?q=${'%25'.repeat(2000)}`, `/${'x/'.repeat(4100)}`, `/bookmarks?x=${'y'.repeat(9000)}`,
]

const extraMethods = ['PROPFIND', 'MKCOL', 'PURGE', 'LOCK', 'UNLOCK', 'REPORT', 'SEARCH', 'COPY', 'MOVE', 'FOO', 'get', 'Post', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']

function auth(f: Fixture, user: string, rand: Random): Record<string, string> {
  const r = rand()
  if (r < 0.8) return { authorization: `Bearer ${f.tokens[user] ?? ''}` }
  return r < 0.9 ? {} : { authorization: rand.pick(badAuth) }
}

function bodyRequest(f: Fixture, rand: Random): BadRequest {
  const target = rand.pick(targetsOf(f))
  const b = badBody(target, rand)
  const headers: Record<string, string> = { 'content-type': b.type, ...auth(f, target.user, rand) }
  // Visits need a fresh If-Match to reach body validation; any tag of version 1 is fresh.
  if (target.path.startsWith(f.visit) && rand.chance(0.8)) headers['if-match'] = rand.pick(['"1-j0"', '*'])
  if (rand.chance(0.2)) {
    const [name, value] = oddHeader(rand)
    headers[name] = value
  }
  return { via: 'fetch', method: 'POST', path: target.path, headers, body: b.body, label: `${b.label} → POST ${target.path.replace(/[0-9a-f-]{36}/, ':id')}` }
}

function uriRequest(f: Fixture, rand: Random): BadRequest {
  const path = rand.pick(oddPaths(f))
  if (rand.chance(0.7)) return { via: 'fetch', method: 'GET', path, headers: auth(f, 'north-admin', rand), label: `odd URI GET ${path.slice(0, 60)}` }
  const b = badBody({ path, example: visitExample, emptyRefused: true }, rand)
  return { via: 'fetch', method: 'POST', path, headers: { 'content-type': b.type, ...auth(f, 'north-admin', rand) }, body: b.body, label: `odd URI POST ${path.slice(0, 60)} (${b.label})` }
}

function headerRequest(f: Fixture, rand: Random): BadRequest {
  const path = rand.pick(['/', '/bookmarks', '/visits', f.bookmark, f.visit, `${f.visit}/history`, '/machines/visit', '/schemas/visit.json', '/problems/not-found'])
  const headers = auth(f, 'north-admin', rand)
  for (let i = 0; i < 1 + rand.int(3); i++) {
    const [name, value] = oddHeader(rand)
    headers[name] = value
  }
  return { via: 'fetch', method: rand.pick(['GET', 'HEAD']), path, headers, label: `odd headers ${Object.keys(headers).join(',')} on ${path.replace(/[0-9a-f-]{36}/, ':id')}` }
}

function methodRequest(f: Fixture, rand: Random): BadRequest {
  const method = rand.pick(extraMethods)
  const target = rand.pick(targetsOf(f))
  const path = rand.pick([target.path, '/', f.bookmark, '/machines/bookmark'])
  // fetch upper-cases `Post`: a POST must carry a defect of its own, here its body.
  const withBody = method.toUpperCase() === 'POST' || (method !== 'HEAD' && method.toUpperCase() !== 'GET' && rand.chance(0.5))
  const b = badBody(target, rand)
  return { via: 'fetch', method, path, headers: { ...auth(f, target.user, rand), ...(withBody && { 'content-type': b.type }) }, ...(withBody && { body: b.body }), label: `method ${method} on ${path.replace(/[0-9a-f-]{36}/, ':id')}` }
}

/** One bad request of any kind. */
export function badRequest(f: Fixture, rand: Random): BadRequest {
  const r = rand()
  if (r < 0.4) return bodyRequest(f, rand)
  if (r < 0.55) return uriRequest(f, rand)
  if (r < 0.7) return headerRequest(f, rand)
  if (r < 0.8) return methodRequest(f, rand)
  return framingRequest(f, rand)
}
