import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { edgesOf } from '../../../src/index.ts'
import { bookmark, visit } from '../../../src/resources/index.ts'
import { actionKeys, inputFor, resourceIn } from '../../helpers/machines.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Generated from the machine definitions: every state × every action, over HTTP.
const test = suite('transitions (generated)')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const admin = 'north-admin'
for (const type of [bookmark, visit]) {
  const edges = edgesOf(type.machine)
  const keysIn = (state: string): string[] =>
    type.machine.actions.filter((a) => a.from.includes(state)).map((a) => `${a.name.replaceAll('-', '_')}_url`).sort()
  for (const state of type.machine.states) {
    test(`${type.name} in ${state} shows exactly the links of ${state}`, async () => {
      const { url } = await resourceIn(server, type, state, admin)
      const r = await server.request('GET', url, { as: admin })
      assert.is(r.status, 200)
      assert.equal(actionKeys(r.json, type.machine), keysIn(state))
      assert.is(r.json.data[type.stateField], state)
    })
    for (const action of type.machine.actions) {
      const edge = edges.find((e) => e.from === state && e.action === action.name)
      test(`${type.name}: ${action.name} from ${state} → ${edge ? `200 ${edge.to}` : '409'}`, async () => {
        const { url, etag } = await resourceIn(server, type, state, admin)
        const before = await server.request('GET', `${url}/history`, { as: admin })
        const r = await server.request('POST', `${url}/${action.name}`, { as: admin, json: inputFor(type, action.name), headers: { 'if-match': etag } })
        if (edge) {
          assert.is(r.status, 200, r.text)
          assert.is(r.json.data[type.stateField], edge.to)
          assert.equal(actionKeys(r.json, type.machine), keysIn(edge.to))
          assert.is(r.headers.get('content-location'), url)
          assert.is.not(r.headers.get('etag'), etag)
        } else {
          assert.is(r.status, 409, r.text)
          assert.is(r.json.current_state, state)
          assert.equal(r.json.allowed_actions, type.machine.actions.filter((a) => a.from.includes(state)).map((a) => a.name))
          const after = await server.request('GET', `${url}/history`, { as: admin })
          assert.equal(after.json.items, before.json.items, 'history unchanged')
          const now = await server.request('GET', url, { as: admin })
          assert.is(now.headers.get('etag'), etag, 'version unchanged')
        }
      })
    }
  }
}
test.run()
