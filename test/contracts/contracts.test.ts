import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { contractName, contractSchema, halFormsFormat, restfulJsonFormat, sirenFormat } from '../../src/contracts/index.ts'
import { bookmark, visit } from '../../src/resources/index.ts'
import { resourceIn } from '../helpers/machines.ts'
import { describedBy, violations } from '../helpers/representor-contracts.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const test = suite('contract schemas over HTTP')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const formats = [
  { accept: 'application/json', name: 'restful-json' },
  { accept: 'application/hal+json', name: 'hal-forms' },
  { accept: 'application/vnd.siren+json', name: 'siren' },
] as const

// An admin may take every action the state allows, so the exact contract holds for them.
for (const type of [bookmark, visit]) {
  for (const state of type.machine.states) {
    test(`${type.name} in ${state}: real responses meet the exact contract in every format`, async () => {
      const { url } = await resourceIn(server, type, state, 'north-admin')
      for (const f of formats) {
        const r = await server.request('GET', url, { as: 'north-admin', headers: { accept: f.accept } })
        assert.is(describedBy(r.headers.get('link')), contractName(type.name, f.name))
        assert.equal(violations(f.accept, r.json, contractName(type.name, f.name, 'exact')), [], `${f.accept}`)
      }
    })
  }
}

const GET = async (url: string, accept: string, as = 'north-reader') => (await server.request('GET', url, { as, headers: { accept } })).json

test('a queued bookmark that offers reread is rejected, in every format', async () => {
  const { url } = await resourceIn(server, bookmark, 'queued', 'north-reader')
  const json = await GET(url, 'application/json')
  assert.equal(violations('application/json', json, contractName('bookmark', 'restful-json')), [])
  assert.ok(violations('application/json', { ...json, reread_url: `${url}/reread` }, contractName('bookmark', 'restful-json')).length > 0)
  const hal = await GET(url, 'application/hal+json')
  hal._templates.reread = { ...hal._templates.read, target: `${url}/reread` }
  assert.ok(violations('application/hal+json', hal, contractName('bookmark', 'hal-forms')).length > 0)
  const siren = await GET(url, 'application/vnd.siren+json')
  siren.actions.push({ ...siren.actions[0], name: 'reread' })
  assert.ok(violations('application/vnd.siren+json', siren, contractName('bookmark', 'siren')).length > 0)
})

test('a queued bookmark missing read is rejected: every viewer may read', async () => {
  const { url } = await resourceIn(server, bookmark, 'queued', 'north-reader')
  const { read_url: _read, ...json } = await GET(url, 'application/json')
  assert.ok(violations('application/json', json, contractName('bookmark', 'restful-json')).length > 0)
})

test('a collection item that lies is rejected too', async () => {
  await resourceIn(server, bookmark, 'read', 'north-reader')
  const list = await GET('/bookmarks', 'application/hal+json')
  const item = list._embedded.item.find((i: { read_status: string }) => i.read_status === 'read')
  item._templates.archive = item._templates.reread
  assert.ok(violations('application/hal+json', list, contractName('bookmark', 'hal-forms')).length > 0)
})

test('a clinician not assigned sees fewer actions: the any-caller contract holds, the exact one does not', async () => {
  const { url } = await resourceIn(server, visit, 'en_route', 'north-admin')
  const siren = await GET(url, 'application/vnd.siren+json', 'north-clinician-2')
  assert.equal(violations('application/vnd.siren+json', siren, contractName('visit', 'siren')), [])
  assert.ok(violations('application/vnd.siren+json', siren, contractName('visit', 'siren', 'exact')).length > 0)
})

test('a state the machine does not have is rejected', () => {
  const body = { url: '/bookmarks/x', data: { bookmark_url: 'https://e.org', title: 't', read_status: 'lost' } }
  assert.ok(violations('application/json', body, contractName('bookmark', 'restful-json')).length > 0)
})

test('the served contracts are the generated ones', async () => {
  for (const [format, name] of [[restfulJsonFormat, 'restful-json'], [halFormsFormat, 'hal-forms'], [sirenFormat, 'siren']] as const) {
    for (const scope of ['any', 'exact'] as const) {
      const r = await server.request('GET', `/schemas/${contractName('visit', name, scope)}`)
      assert.is(r.status, 200)
      assert.equal(r.json, contractSchema(visit, format, scope))
    }
  }
})

test('the envelope schemas are served', async () => {
  for (const name of ['restful-json.json', 'hal-forms.json', 'siren.json', 'siren.schema.json']) {
    assert.is((await server.request('GET', `/schemas/${name}`)).status, 200, name)
  }
})

test.run()
