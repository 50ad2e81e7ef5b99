import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bookmark, visit } from '../../../src/resources/index.ts'
import { resourceIn } from '../../helpers/machines.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

const test = suite('Link header (RFC 8288) in every format')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

interface Link { href: string; rel: string; method?: string }
/** Parses the `Link` values this server sends (quoted parameters only). */
function parseLinks(field: string | null): Link[] {
  const out: Link[] = []
  for (const m of (field ?? '').matchAll(/<([^>]*)>((?:;\s*[a-z]+="(?:[^"\\]|\\.)*")*)/g)) {
    const params = Object.fromEntries([...(m[2] ?? '').matchAll(/;\s*([a-z]+)="((?:[^"\\]|\\.)*)"/g)].map((p) => [p[1], p[2]]))
    out.push({ href: m[1] ?? '', rel: params.rel ?? '', ...(params.method !== undefined && { method: params.method }) })
  }
  return out
}

const formats = ['application/json', 'application/hal+json', 'application/vnd.siren+json'] as const
const contractOf = { 'application/json': 'restful-json', 'application/hal+json': 'hal-forms', 'application/vnd.siren+json': 'siren' } as const
const admin = 'north-admin'

for (const type of [bookmark, visit]) {
  for (const state of type.machine.states) {
    test(`${type.name} in ${state}: self, collection, history, describedby and one link per legal action`, async () => {
      const { url } = await resourceIn(server, type, state, admin)
      const allowed = type.machine.actions.filter((a) => a.from.includes(state)).map((a) => a.name)
      for (const accept of formats) {
        const links = parseLinks((await server.request('GET', url, { as: admin, headers: { accept } })).headers.get('link'))
        const rel = (r: string): string | undefined => links.find((l) => l.rel === r)?.href
        assert.is(rel('self'), url, accept)
        assert.is(rel('collection'), `/${type.collection}`)
        assert.is(rel('history'), `${url}/history`)
        assert.is(rel('describedby'), `/schemas/${type.name}-${contractOf[accept]}-contract.json`)
        const posts = links.filter((l) => l.method === 'POST')
        assert.equal(posts.map((l) => l.rel), allowed, accept)
        for (const p of posts) assert.is(p.href, `${url}/${p.rel}`)
      }
    })
  }
}

test('a caller who may not act gets no action links', async () => {
  const { url } = await resourceIn(server, visit, 'assigned', admin)
  const links = parseLinks((await server.request('GET', url, { as: 'north-clinician-2' })).headers.get('link'))
  assert.equal(links.filter((l) => l.method === 'POST'), [])
  assert.ok(links.some((l) => l.rel === 'self'))
})

for (const accept of formats) {
  test(`collection in ${accept}: self, describedby, create for a creator and not for others`, async () => {
    const asDispatcher = parseLinks((await server.request('GET', '/visits', { as: 'north-dispatcher', headers: { accept } })).headers.get('link'))
    assert.ok(asDispatcher.some((l) => l.rel === 'self' && l.href === '/visits'))
    assert.ok(asDispatcher.some((l) => l.rel === 'describedby' && l.href === `/schemas/visit-${contractOf[accept]}-contract.json`))
    assert.equal(asDispatcher.filter((l) => l.method === 'POST').map((l) => [l.rel, l.href]), [['create', '/visits']])
    const asClinician = parseLinks((await server.request('GET', '/visits', { as: 'north-clinician-1', headers: { accept } })).headers.get('link'))
    assert.equal(asClinician.filter((l) => l.method === 'POST'), [])
  })

  test(`the describedby contract in ${accept} is served`, async () => {
    const r = await server.request('GET', `/schemas/bookmark-${contractOf[accept]}-contract.json`)
    assert.is(r.status, 200)
    assert.is(r.json.$id, `https://affordance.dev/schemas/bookmark-${contractOf[accept]}-contract.json`)
  })
}

test.run()
