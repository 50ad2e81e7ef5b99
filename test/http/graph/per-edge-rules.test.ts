import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { defineMachine, defineResource } from '../../../src/index.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// An action with several transitions: each keeps its own roles, in the links and in admission.
const test = suite('per-transition roles over HTTP')

const errand = defineResource({
  name: 'errand',
  collection: 'errands',
  schema: { $id: 'https://example.org/schemas/errand.json', type: 'object', properties: { what: { type: 'string' } }, additionalProperties: false },
  machine: defineMachine({
    name: 'errand',
    initial: 'scheduled',
    states: ['scheduled', 'en_route', 'cancelled'],
    terminal: ['cancelled'],
    actions: {
      go: { from: 'scheduled', to: 'en_route', roles: ['dispatcher'] },
      cancel: [{ from: 'scheduled', to: 'cancelled', roles: ['dispatcher'] }, { from: 'en_route', to: 'cancelled', roles: ['clinician'] }],
    },
  }),
  policy: { view: ['dispatcher', 'clinician'], create: ['dispatcher'] },
})

let server: TestServer
test.before(async () => { server = await startServer({ resources: [errand] }) })
test.after(async () => { await server.close() })

const newErrand = async (): Promise<string> => {
  const r = await server.request('POST', '/errands', { as: 'north-dispatcher', json: { what: 'groceries' } })
  assert.is(r.status, 201)
  return r.headers.get('location') ?? ''
}

/** Whether `user` is shown cancel, and what cancelling answers them; shown must mean admitted. */
const cancelAs = async (url: string, user: string): Promise<{ shown: boolean; status: number }> => {
  const shown = 'cancel_url' in (await server.request('GET', url, { as: user })).json
  const { status } = await server.request('POST', `${url}/cancel`, { as: user, json: {} })
  assert.is(status === 200, shown, `links never lie: ${user} ${shown ? 'shown' : 'not shown'} cancel, answered ${status}`)
  return { shown, status }
}

test('from scheduled only a dispatcher may cancel', async () => {
  const url = await newErrand()
  assert.equal(await cancelAs(url, 'north-clinician-1'), { shown: false, status: 403 })
  assert.equal(await cancelAs(url, 'north-dispatcher'), { shown: true, status: 200 })
})

test('from en_route only a clinician may cancel', async () => {
  const url = await newErrand()
  assert.is((await server.request('POST', `${url}/go`, { as: 'north-dispatcher', json: {} })).status, 200)
  assert.equal(await cancelAs(url, 'north-dispatcher'), { shown: false, status: 403 })
  assert.equal(await cancelAs(url, 'north-clinician-1'), { shown: true, status: 200 })
})

test.run()
