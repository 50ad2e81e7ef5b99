import fc from 'fast-check'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../helpers/server.ts'

// Model-based search: random bookmarks by readers and admins of two tenants, moved by random
// actions, then listed under random state filters by a random caller in small pages. The
// answer must be the model's: the caller's tenant, only their own unless they are an admin,
// in the chosen states, in creation order; and a filter's cursor must open only its own search.
const test = suite('search, model-based')
const RUNS = process.env.DEEP === '1' ? 300 : 30
const users = ['north-reader', 'north-admin', 'south-reader', 'south-admin']
const states = ['queued', 'read', 'archived']
const moves: Readonly<Record<string, readonly [string, string]>> = { read: ['queued', 'read'], archive: ['queued', 'archived'], queue: ['archived', 'queued'], reread: ['read', 'queued'] }
interface Mark { readonly url: string; readonly owner: string; state: string }
const marks: Mark[] = []
let server: TestServer

test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const tenantOf = (user: string): string => user.split('-')[0] as string
const sees = (user: string, m: Mark): boolean => tenantOf(user) === tenantOf(m.owner) && (user.endsWith('-admin') || m.owner === user)

type Op = { kind: 'create'; user: number } | { kind: 'move'; mark: number; action: string }
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), user: fc.nat(users.length - 1) }),
  fc.record({ kind: fc.constant('move' as const), mark: fc.nat(1000), action: fc.constantFrom(...Object.keys(moves)) }),
)

/** Every item URL of a search, in pages of `limit`, following next links. */
async function listed(user: string, query: string, limit: number): Promise<string[]> {
  const urls: string[] = []
  let next: string | undefined = `/bookmarks?${query}&limit=${limit}`
  while (next !== undefined) {
    const r = await server.request('GET', next, { as: user })
    assert.is(r.status, 200, `${next}: ${r.text.slice(0, 200)}`)
    urls.push(...(r.json.items as { url: string }[]).map((i) => i.url))
    next = r.json.next_url
  }
  return urls
}

test('a filtered list is the model\'s, scoped to the caller, page after page', async () => {
  await fc.assert(fc.asyncProperty(fc.array(op, { maxLength: 6 }), fc.nat(users.length - 1), fc.subarray(states, { minLength: 1 }), fc.integer({ min: 1, max: 4 }), async (ops, who, wanted, limit) => {
    for (const o of ops) {
      if (o.kind === 'create') {
        const user = users[o.user] as string
        const r = await server.request('POST', '/bookmarks', { as: user, json: { bookmark_url: `https://example.org/${marks.length}`, title: `B${marks.length}` } })
        assert.is(r.status, 201)
        marks.push({ url: r.headers.get('location') as string, owner: user, state: 'queued' })
        continue
      }
      const m = marks[o.mark % Math.max(marks.length, 1)]
      if (m === undefined) continue
      const [from, to] = moves[o.action] as [string, string]
      const r = await server.request('POST', `${m.url}/${o.action}`, { as: m.owner })
      assert.is(r.status, m.state === from ? 200 : 409, `${o.action} from ${m.state}`)
      if (m.state === from) m.state = to
    }
    const user = users[who] as string
    const query = wanted.map((s) => `read_status=${s}`).join('&')
    const expected = marks.filter((m) => sees(user, m) && wanted.includes(m.state)).map((m) => m.url)
    assert.equal(await listed(user, query, limit), expected, `${user} ${query}`)
  }), { numRuns: RUNS })
})

test('a cursor of one caller\'s search opens neither another search nor another caller\'s', async () => {
  for (let i = 0; i < 3; i++) await server.request('POST', '/bookmarks', { as: 'north-admin', json: { bookmark_url: `https://example.org/c${i}`, title: 'C' } })
  const first = await server.request('GET', '/bookmarks?read_status=queued&limit=1', { as: 'north-admin' })
  const cursor = new URL(first.json.next_url as string, server.url).searchParams.get('after') as string
  assert.is((await server.request('GET', `/bookmarks?read_status=queued&after=${cursor}`, { as: 'north-admin' })).status, 200)
  for (const [user, query] of [['north-admin', 'read_status=read&'], ['north-admin', ''], ['north-reader', 'read_status=queued&'], ['south-admin', 'read_status=queued&']] as const) {
    assert.is((await server.request('GET', `/bookmarks?${query}after=${cursor}`, { as: user })).status, 400, `${user} ${query}`)
  }
})

test.run()
