import { randomUUID } from 'node:crypto'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { demoUsers, bookmark, visit } from '../../src/resources/index.ts'
import type { ResourceType } from '../../src/index.ts'
import { inputFor } from '../helpers/machines.ts'
import { startServer, type Reply, type TestServer } from '../helpers/server.ts'

// Probing another tenant's resources over every route and method must look exactly like
// probing an id that does not exist, and must write nothing.
const test = suite('cross-tenant probing')
let server: TestServer
const targets = new Map<ResourceType, { url: string; id: string; etag: string }>()
test.before(async () => {
  server = await startServer()
  const v = await server.request('POST', '/visits', { as: 'north-dispatcher', json: inputFor(visit, 'create') })
  const assigned = await server.request('POST', `${v.headers.get('location') ?? ''}/assign`, { as: 'north-dispatcher', json: { clinician_id: 'north-clinician-1' }, headers: { 'if-match': v.headers.get('etag') as string } })
  const b = await server.request('POST', '/bookmarks', { as: 'north-reader', json: inputFor(bookmark, 'create') })
  for (const [type, r] of [[visit, assigned], [bookmark, b]] as const) {
    const url = r.headers.get('content-location') as string
    targets.set(type, { url, id: url.split('/').pop() as string, etag: r.headers.get('etag') as string })
  }
})
test.after(async () => { await server.close() })

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
const PROBERS = demoUsers.filter((u) => u.tenant === 'south').map((u) => u.id)
const suffixes = (type: ResourceType): string[] => ['', '/history', ...type.machine.actions.map((a) => `/${a.name}`), '/no-such-action']

/** The parts of a reply a prober can observe, with the id, and the request id every problem names, masked. */
function observable(r: Reply, id: string): unknown {
  const mask = (s: string | null): string | null => (s === null ? null : s.replaceAll(id, '<id>').replace(/"request_id":"[^"]*"/, '"request_id":"<request>"'))
  return {
    status: r.status,
    type: r.headers.get('content-type'),
    allow: r.headers.get('allow'),
    challenge: r.headers.get('www-authenticate'),
    etag: r.headers.get('etag'),
    body: mask(r.text),
  }
}

async function snapshot(): Promise<unknown> {
  const store = server.app.store
  return [...targets.values()].map((t) => ({ row: store.get(t.id), history: store.history(t.id) }))
}

for (const type of [visit, bookmark]) {
  for (const prober of PROBERS) {
    test(`${prober} probing a north ${type.name}: every route and method answers as for a missing id`, async () => {
      const target = targets.get(type)
      assert.ok(target)
      const missing = randomUUID()
      const before = await snapshot()
      for (const suffix of suffixes(type)) {
        for (const method of METHODS) {
          const action = suffix.slice(1)
          const options = {
            as: prober,
            headers: { 'if-match': target.etag, 'idempotency-key': `probe-${prober}` },
            ...(method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && { json: inputFor(type, action === '' ? 'create' : action) }),
          }
          const foreign = await server.request(method, `/${type.collection}/${target.id}${suffix}`, options)
          const absent = await server.request(method, `/${type.collection}/${missing}${suffix}`, options)
          const where = `${method} ${suffix || '/'}`
          assert.equal(observable(foreign, target.id), observable(absent, missing), where)
          const readable = suffix === '' || suffix === '/history'
          if (readable ? method === 'GET' || method === 'HEAD' : method === 'POST') assert.is(foreign.status, 404, where)
        }
      }
      assert.equal(await snapshot(), before, 'no writes')
      assert.is(await server.app.store.recall(`south/${prober}`, `probe-${prober}`), undefined, 'no idempotency record')
    })
  }
  test(`south lists no north ${type.name}`, async () => {
    for (const prober of PROBERS) {
      const r = await server.request('GET', `/${type.collection}`, { as: prober })
      if (r.status === 200) assert.equal(r.json.items, [], prober)
      else assert.is(r.status, 403, prober)
    }
  })
}

test('the north owner still sees both, unchanged', async () => {
  for (const [type, t] of targets) {
    const who = type === visit ? 'north-dispatcher' : 'north-reader'
    const r = await server.request('GET', t.url, { as: who })
    assert.is(r.status, 200)
    assert.is(r.headers.get('etag'), t.etag)
  }
})

test.run()
