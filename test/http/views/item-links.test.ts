import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { AddressInfo } from 'node:net'
import { createApp, createHttpServer, defineResource, issueToken } from '../../../src/index.ts'
import { availableActions } from '../../../src/fsm/actions.ts'
import { defineMachine } from '../../../src/fsm/define-machine.ts'
import { withContract } from '../../../src/http/views/contract-links.ts'
import { itemLinkField } from '../../../src/http/views/item-links.ts'
import { linkHeader } from '../../../src/http/protocol/link-header.ts'
import { actionMask, resourceView } from '../../../src/http/views/views.ts'
import type { ResourceType } from '../../../src/resource.ts'
import { bookmark, visit } from '../../../src/resources/index.ts'
import type { ResourceRow } from '../../../src/store/types.ts'

// The Link field is filled from a template per type, format and action set: it must be the field built afresh.
const test = suite('item Link fields')

const app = createApp({ resources: [bookmark, visit], database: ':memory:' })
test.after(() => app.close())
const admin = { id: 'north-admin', name: 'Admin', tenant: 'north', roles: ['admin', 'dispatcher', 'clinician', 'reader'] }

test('every state of both demo types, in every format, gives the field built afresh', () => {
  let compared = 0
  for (const entry of app.affordance.types) {
    for (const state of entry.type.machine.states) {
      for (const representor of app.affordance.representors) {
        for (const id of ['f7bd0c1e-0000-4000-8000-000000000001', 'a1b2c3d4-0000-4000-8000-000000000002']) {
          const row: ResourceRow = { seq: 1, id, type: entry.type.name, tenant: 'north', owner: admin.id, state, data: {}, version: 3, created_at: 0, updated_at: 0 }
          const actions = availableActions(entry.type.machine, state, { principal: admin, data: {}, owner: admin.id })
          const view = withContract('', resourceView('', entry.type, entry.compiled, row, actions), entry.type.name, representor)
          assert.is(itemLinkField('', entry, representor, row, actions), linkHeader(view.links, view.actions))
          compared++
        }
      }
    }
  }
  assert.ok(compared > 50)
})

test('action masks stay distinct beyond 30 actions (no wrapping bit operations)', () => {
  const names = Array.from({ length: 40 }, (_, i) => `act-${i}`)
  const machine = defineMachine({ name: 'wide', initial: 'a', states: ['a', 'b'], actions: Object.fromEntries(names.map((n, i) => [n, i === 0 ? { from: 'b', to: 'a' } : { from: 'a', to: 'b' }])) })
  const type = { machine } as unknown as ResourceType
  const masks = machine.actions.map((a) => actionMask(type, [a]))
  assert.is(new Set(masks).size, 40)
  assert.is.not(actionMask(type, machine.actions), actionMask(type, machine.actions.slice(1)))
  // Small machines keep the number form ETags have always carried.
  assert.is(actionMask(bookmark, bookmark.machine.actions.slice(0, 2)), (0b11).toString(36))
})

test('two apps in one process serving one type name at two paths each send their own URLs', async () => {
  const ticket = (collection: string) => defineResource({ ...bookmark, name: 'ticket', collection })
  const user = { id: 'north-reader', name: 'Reader', tenant: 'north', roles: ['reader'] }
  for (const collection of ['tickets', 'issues']) {
    const other = createApp({ resources: [ticket(collection)], database: ':memory:', log: () => {}, rateLimit: false })
    const server = createHttpServer(other)
    try {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const headers = { authorization: `Bearer ${await issueToken(other.store, user, Date.now())}`, 'content-type': 'application/json' }
      const created = await fetch(`${base}/${collection}`, { method: 'POST', headers, body: JSON.stringify(bookmark.examples?.[0]) })
      assert.is(created.status, 201)
      const location = created.headers.get('location') ?? ''
      const res = await fetch(base + location, { headers })
      const body = (await res.json()) as { url: string }
      assert.ok(body.url.startsWith(`/${collection}/`), body.url)
      const self = /<([^>]*)>; rel="self"/.exec(res.headers.get('link') ?? '')?.[1]
      assert.is(self, body.url, `Link field of the app serving /${collection}`)
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      other.close()
    }
  }
})

test.run()
