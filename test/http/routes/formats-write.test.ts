import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bookmark, visit } from '../../../src/resources/index.ts'
import { inputFor, resourceIn } from '../../helpers/machines.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

const test = suite('writes answered in HAL and Siren')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

test('create in Siren: 201 with the new entity and its actions', async () => {
  const r = await server.request('POST', '/bookmarks', { as: 'north-reader', json: inputFor(bookmark, 'create'), headers: { accept: 'application/vnd.siren+json' } })
  assert.is(r.status, 201)
  assert.is(r.json.properties.read_status, 'queued')
  assert.equal(r.json.actions.map((a: { name: string }) => a.name), ['read', 'archive'])
  assert.is(r.json.links[0].href, `${server.url}${r.headers.get('location')}`)
})

test('a transition in HAL answers with the next state\'s templates', async () => {
  const { url } = await resourceIn(server, bookmark, 'queued', 'north-reader')
  const r = await server.request('POST', `${url}/read`, { as: 'north-reader', headers: { accept: 'application/hal+json' } })
  assert.is(r.status, 200)
  assert.is(r.json.read_status, 'read')
  assert.equal(Object.keys(r.json._templates), ['default', 'reread'])
  assert.is(r.json._templates.reread.target, `${url}/reread`)
})

test('following a Siren action with its fields performs it', async () => {
  const { url, etag } = await resourceIn(server, visit, 'en_route', 'north-admin')
  const entity = (await server.request('GET', url, { as: 'north-admin', headers: { accept: 'application/vnd.siren+json' } })).json
  const action = entity.actions.find((a: { name: string }) => a.name === 'check-in')
  const body = Object.fromEntries(action.fields.map((f: { name: string; min: number }) => [f.name, f.min + 1]))
  const r = await server.request(action.method, new URL(action.href).pathname, { as: 'north-admin', json: body, headers: { accept: 'application/vnd.siren+json', 'content-type': action.type, 'if-match': etag } })
  assert.is(r.status, 200)
  assert.is(r.json.properties.status, 'on_site')
  assert.equal(r.json.actions.map((a: { name: string }) => a.name), ['check-out'])
})

test.run()
