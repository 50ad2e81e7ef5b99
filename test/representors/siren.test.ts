import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { siren } from '../../representors/siren.ts'
import type { View } from '../../representors/types.ts'
import { bookmark, visit } from '../../src/resources/index.ts'
import { violations } from '../helpers/representor-contracts.ts'
import { allowedIn, fixture, inputOf, propertyNames, types } from './fixtures.ts'

const test = suite('Siren representor')
const origin = 'https://api.example'
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const render = (view: View): any => JSON.parse(siren.render(view, { origin }))

for (const type of types) {
  for (const state of type.machine.states) {
    test(`${type.name} in ${state}: one action per legal action, absolute, with fields`, () => {
      const view = fixture(type, state)
      const body = render(view)
      assert.equal(body.class, [type.name])
      assert.is(body.properties[type.stateField], state)
      assert.equal(body.actions.map((a: { name: string }) => a.name), allowedIn(type, state))
      for (const a of body.actions) {
        assert.is(a.method, 'POST')
        assert.is(a.href, `${origin}/${type.collection}/${view.id}/${a.name}`)
        assert.is(a.type, 'application/json')
        assert.equal(a.fields.map((f: { name: string }) => f.name), propertyNames(inputOf(type, a.name)))
      }
      assert.equal(body.links.find((l: { rel: string[] }) => l.rel[0] === 'self').href, `${origin}${view.url}`)
      assert.equal(violations('application/vnd.siren+json', body), [])
    })
  }
}

test('check-in fields carry HTML type, title and bounds', () => {
  const a = render(fixture(visit, 'en_route')).actions.find((x: { name: string }) => x.name === 'check-in')
  assert.equal(a.fields, [
    { name: 'lat', type: 'number', title: 'Latitude', required: true, min: -90, max: 90 },
    { name: 'lon', type: 'number', title: 'Longitude', required: true, min: -180, max: 180 },
  ])
})

test('a collection embeds items with rel item and offers create', () => {
  const items = [fixture(visit, 'scheduled'), fixture(visit, 'on_site')]
  const body = render({ kind: 'collection', type: 'visit', url: '/visits', title: 'visits', items, links: [{ rel: 'self', href: '/visits' }], create: { name: 'create', title: 'create visit', method: 'POST', href: '/visits', contentType: 'application/json', input: visit.createSchema } })
  assert.equal(body.class, ['visit', 'collection'])
  assert.equal(body.entities.map((e: { rel: string[]; properties: { status: string } }) => [e.rel, e.properties.status]), [[['item'], 'scheduled'], [['item'], 'on_site']])
  assert.is(body.actions[0].href, `${origin}/visits`)
  assert.equal(violations('application/vnd.siren+json', body), [])
})

test('history: nulls left out, input objects as JSON text, still valid Siren', () => {
  const body = render({ kind: 'history', type: 'bookmark', url: '/bookmarks/b/history', resource: '/bookmarks/b', title: 'History', links: [{ rel: 'self', href: '/bookmarks/b/history' }], entries: [{ seq: 1, action: 'create', from: null, to: 'queued', input: { title: 't' }, actor: null, at: '2026-01-01T00:00:00.000Z' }] })
  assert.equal(body.entities[0].properties, { seq: 1, action: 'create', to: 'queued', input: '{"title":"t"}', at: '2026-01-01T00:00:00.000Z' })
  assert.equal(violations('application/vnd.siren+json', body), [])
})

test('the published schema rejects a relative href', () => {
  const body = render(fixture(bookmark, 'queued'))
  body.actions[0].href = '/bookmarks/x/read'
  const found = violations('application/vnd.siren+json', body)
  assert.ok(found.some((v) => v.startsWith('siren.schema.json')), found.join('\n'))
})

test('a clinician sees no actions on a visit assigned to someone else', () => {
  const other = { id: 'north-clinician-2', name: 'C2', tenant: 'north', roles: ['clinician'] }
  assert.equal(render(fixture(visit, 'en_route', other)).actions, [])
})

test.run()
