import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { HypermediaClient, type Format } from '../../../src/index.ts'
import { demoUsers } from '../../../src/resources/index.ts'
import { parseLinkHeader } from '../../../src/client/link-header.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// The entry point offers a collection exactly to the callers its own admission lets list it.
const test = suite('entry point per caller')

const formats: readonly Format[] = ['application/json', 'application/hal+json', 'application/vnd.siren+json', 'text/html']
const collections = ['bookmarks', 'visits'] as const
const callers = [undefined, ...demoUsers.map((u) => u.id)]
const name = (user: string | undefined): string => user ?? 'anonymous'

let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const mayList = async (user: string | undefined, collection: string): Promise<boolean> =>
  (await server.request('GET', `/${collection}`, user === undefined ? {} : { as: user })).status === 200

for (const user of callers) {
  test(`${name(user)}: every format and the Link field offer exactly the collections they may list`, async () => {
    const client = (accept: Format): HypermediaClient => new HypermediaClient({ accept, ...(user !== undefined && { token: server.tokens[user] ?? '' }) })
    for (const accept of formats) {
      const entry = await client(accept).open(`${server.url}/`)
      const field = parseLinkHeader(entry.headers.get('link') ?? '').map((l) => l.params.rel)
      for (const c of collections) {
        const allowed = await mayList(user, c)
        assert.is(c in entry.links, allowed, `${accept}: ${c} ${allowed ? 'missing' : 'offered but refused'}`)
        assert.is(field.includes(c), allowed, `Link field: ${c}`)
      }
      for (const rel of ['bookmark-machine', 'visit-machine']) assert.ok(rel in entry.links, `${accept}: ${rel} is public`)
      if (accept !== 'text/html') assert.ok('session' in entry.links, `${accept}: sign-in link`)
    }
  })
}

test('what each role is offered, as the policy says', async () => {
  const offered = async (user: string | undefined): Promise<string[]> => {
    const r = await server.request('GET', '/', user === undefined ? {} : { as: user })
    return collections.filter((c) => `${c}_url` in r.json)
  }
  assert.equal(await offered(undefined), [])
  assert.equal(await offered('north-reader'), ['bookmarks'])
  assert.equal(await offered('south-dispatcher'), ['visits'])
  assert.equal(await offered('north-clinician-2'), ['visits'])
  assert.equal(await offered('south-admin'), ['bookmarks', 'visits'])
})

test('the HTML page links to no collection the caller may not list', async () => {
  const r = await server.request('GET', '/', { as: 'north-reader', headers: { accept: 'text/html' } })
  assert.match(r.text, /href="\/bookmarks"/)
  assert.not.match(r.text, /href="\/visits"/)
  assert.match(r.text, /href="\/session"/)
})

test('caches keep one caller\'s entry point from another: private, Vary, an ETag per body', async () => {
  const reader = await server.request('GET', '/', { as: 'north-reader' })
  const dispatcher = await server.request('GET', '/', { as: 'north-dispatcher' })
  const anonymous = await server.request('GET', '/')
  for (const r of [reader, dispatcher, anonymous]) {
    assert.match(r.headers.get('cache-control') ?? '', /\bprivate\b/)
    const vary = (r.headers.get('vary') ?? '').toLowerCase()
    for (const h of ['accept', 'authorization', 'cookie']) assert.ok(vary.includes(h), `Vary: ${vary}`)
  }
  const tags = [reader, dispatcher, anonymous].map((r) => r.headers.get('etag'))
  assert.is(new Set(tags).size, 3, `ETags ${tags.join(' ')}`)
  const same = await server.request('GET', '/', { as: 'south-reader', headers: { 'if-none-match': reader.headers.get('etag') ?? '' } })
  assert.is(same.status, 304, 'the same body for another reader: the same tag')
  const other = await server.request('GET', '/', { as: 'north-dispatcher', headers: { 'if-none-match': reader.headers.get('etag') ?? '' } })
  assert.is(other.status, 200, "a reader's tag does not validate a dispatcher's entry point")
})

test.run()
