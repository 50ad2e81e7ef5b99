import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../helpers/server.ts'

const test = suite('concurrent transitions')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

test('20 identical transitions at once: exactly one wins, one history row', async () => {
  const created = await server.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/race', title: 'Race' } })
  const url = created.headers.get('location') as string
  const replies = await Promise.all(Array.from({ length: 20 }, () => server.request('POST', `${url}/read`, { as: 'north-reader' })))
  const statuses = replies.map((r) => r.status).sort()
  assert.is(statuses.filter((s) => s === 200).length, 1, statuses.join(','))
  assert.is(statuses.filter((s) => s === 409).length, 19)
  const history = await server.request('GET', `${url}/history`, { as: 'north-reader' })
  assert.equal(history.json.items.map((h: { action: string }) => h.action), ['create', 'read'])
})
test('20 identical transitions with the same If-Match: one 200, the rest 412', async () => {
  const created = await server.request('POST', '/visits', { as: 'north-dispatcher', json: { patient: 'P', address: 'A', scheduled_for: '2026-12-01T09:00:00Z' } })
  const url = created.headers.get('location') as string
  const etag = created.headers.get('etag') as string
  const replies = await Promise.all(Array.from({ length: 20 }, () =>
    server.request('POST', `${url}/assign`, { as: 'north-dispatcher', json: { clinician_id: 'north-clinician-1' }, headers: { 'if-match': etag } })))
  const statuses = replies.map((r) => r.status)
  assert.is(statuses.filter((s) => s === 200).length, 1)
  assert.is(statuses.filter((s) => s === 412).length, 19, statuses.join(','))
  const history = await server.request('GET', `${url}/history`, { as: 'north-dispatcher' })
  assert.is(history.json.items.length, 2)
})
test.run()
