import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { issueToken } from '../../src/index.ts'
import { bookmark } from '../../src/resources/index.ts'
import { inputFor, pathTo } from '../helpers/machines.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

// Generated: every caller × every bookmark action × every state, on a bookmark of north-reader.
const test = suite('bookmarks: owner × action × state')
let server: TestServer
const tokens: Record<string, string> = {}
test.before(async () => {
  server = await startServer()
  Object.assign(tokens, server.tokens)
  tokens['north-reader-2'] = await issueToken(server.app.store, { id: 'north-reader-2', name: 'Reader 2 (north)', tenant: 'north', roles: ['reader'] }, Date.now())
})
test.after(async () => { await server.close() })

const OWNER = 'north-reader'
/** Who may act on north-reader's bookmarks, state permitting; the others must not learn it exists. */
const CALLERS: Readonly<Record<string, 'acts' | 'hidden'>> = {
  [OWNER]: 'acts',
  'north-admin': 'acts',
  'north-reader-2': 'hidden',
  'north-dispatcher': 'hidden',
  'north-clinician-1': 'hidden',
  'south-reader': 'hidden',
  'south-admin': 'hidden',
}
const key = (action: string): string => `${action.replaceAll('-', '_')}_url`
const as = (user: string) => ({ token: tokens[user] as string })

async function bookmarkIn(state: string): Promise<{ url: string; etag: string }> {
  const created = await server.request('POST', '/bookmarks', { ...as(OWNER), json: inputFor(bookmark, 'create') })
  const url = created.headers.get('location') as string
  let etag = created.headers.get('etag') as string
  for (const e of pathTo(bookmark.machine, state)) {
    const r = await server.request('POST', `${url}/${e.action}`, { ...as(OWNER), headers: { 'if-match': etag } })
    if (r.status !== 200) throw new Error(`${e.action}: ${r.status} ${r.text}`)
    etag = r.headers.get('etag') as string
  }
  return { url, etag }
}

for (const state of bookmark.machine.states) {
  for (const [user, role] of Object.entries(CALLERS)) {
    for (const action of bookmark.machine.actions) {
      const expected = role === 'hidden' ? 404 : action.from.includes(state) ? 200 : 409
      test(`${state} · ${user} · ${action.name} → ${expected}`, async () => {
        const { url, etag } = await bookmarkIn(state)
        const seen = await server.request('GET', url, as(user))
        const shown = seen.status === 200 && key(action.name) in seen.json
        const r = await server.request('POST', `${url}/${action.name}`, { ...as(user), headers: { 'if-match': etag } })
        assert.is(r.status, expected, r.text)
        assert.is(shown, r.status === 200, 'the link is shown exactly when the action succeeds')
        if (role === 'hidden') {
          assert.is(seen.status, 404)
          assert.is((await server.request('GET', `${url}/history`, as(user))).status, 404)
        }
        if (expected !== 200) assert.is((await server.request('GET', url, as(OWNER))).headers.get('etag'), etag, 'nothing changed')
      })
    }
  }
}

test('a reader lists only their own bookmarks; the admin lists the tenant', async () => {
  await bookmarkIn('queued')
  const mine = await server.request('POST', '/bookmarks', { ...as('north-reader-2'), json: inputFor(bookmark, 'create') })
  const own = (user: string) => server.request('GET', '/bookmarks?limit=100', as(user)).then((r) => r.json.items.map((i: { url: string }) => i.url) as string[])
  const other = await own('north-reader-2')
  assert.equal(other, [mine.headers.get('location')])
  const first = await own(OWNER)
  assert.not.ok(first.includes(mine.headers.get('location') as string))
  const all = await own('north-admin')
  assert.is(all.length, first.length + 1)
  assert.equal(await own('south-reader'), [])
})

test.run()
