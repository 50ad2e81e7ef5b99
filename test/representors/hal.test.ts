import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { hal } from '../../representors/hal.ts'
import type { Affordance, View } from '../../representors/types.ts'
import { bookmark, visit } from '../../src/resources/index.ts'
import { violations } from '../helpers/representor-contracts.ts'
import { allowedIn, fixture, inputOf, propertyNames, types } from './fixtures.ts'

const test = suite('HAL-FORMS representor')
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const render = (view: View): any => JSON.parse(hal.render(view, { origin: 'https://api.example' }))

for (const type of types) {
  for (const state of type.machine.states) {
    test(`${type.name} in ${state}: one template per legal action, with method, target and fields`, () => {
      const view = fixture(type, state)
      const body = render(view)
      const allowed = allowedIn(type, state)
      assert.is(body[type.stateField], state)
      assert.is(body._links.self.href, view.url)
      if (allowed.length === 0) {
        assert.is(body._templates, undefined)
      } else {
        assert.equal(Object.keys(body._templates).filter((k) => k !== 'default'), allowed)
        assert.equal(body._templates.default, body._templates[allowed[0] as string])
      }
      for (const name of allowed) {
        const t = body._templates[name]
        assert.is(t.method, 'POST')
        assert.is(t.target, `/${type.collection}/${view.id}/${name}`)
        assert.is(t.contentType, 'application/json')
        assert.equal(t.properties.map((p: { name: string }) => p.name), propertyNames(inputOf(type, name)))
      }
      assert.equal(violations('application/hal+json', body), [])
    })
  }
}

test('check-in fields carry type, bounds, prompt and required', () => {
  const t = render(fixture(visit, 'en_route'))._templates['check-in']
  assert.equal(t.properties, [
    { name: 'lat', type: 'number', required: true, prompt: 'Latitude', min: -90, max: 90 },
    { name: 'lon', type: 'number', required: true, prompt: 'Longitude', min: -180, max: 180 },
  ])
})

test('assign carries length limits and the pattern as regex', () => {
  const [p] = render(fixture(visit, 'scheduled'))._templates.assign.properties
  assert.equal(p, { name: 'clinician_id', type: 'text', required: true, prompt: 'Clinician', minLength: 1, maxLength: 100, regex: '^[A-Za-z0-9_.-]+$' })
})

test('an enum becomes inline options', () => {
  const view = fixture(bookmark, 'queued')
  const input = { type: 'object', properties: { color: { type: 'string', enum: ['red', 'blue'], title: 'Colour' } }, required: ['color'] }
  const body = render({ ...view, actions: [{ ...(view.actions[0] as Affordance), input }] })
  assert.equal(body._templates.default.properties[0].options, { inline: ['red', 'blue'], minItems: 1, maxItems: 1 })
})

test('a clinician sees no templates on a visit assigned to someone else', () => {
  const other = { id: 'north-clinician-2', name: 'C2', tenant: 'north', roles: ['clinician'] }
  assert.is(render(fixture(visit, 'assigned', other))._templates, undefined)
  assert.equal(Object.keys(render(fixture(visit, 'assigned', { ...other, id: 'north-clinician-1' }))._templates), ['default', 'depart'])
})

test('a collection embeds its items and offers create', () => {
  const items = [fixture(bookmark, 'queued'), fixture(bookmark, 'read')]
  const body = render({ kind: 'collection', type: 'bookmark', url: '/bookmarks', title: 'bookmarks', items, links: [{ rel: 'self', href: '/bookmarks' }, { rel: 'next', href: '/bookmarks?after=2' }], next: '/bookmarks?after=2', create: { name: 'create', title: 'create bookmark', method: 'POST', href: '/bookmarks', contentType: 'application/json', input: bookmark.createSchema } })
  assert.equal(body._embedded.item.map((i: { read_status: string }) => i.read_status), ['queued', 'read'])
  assert.is(body._links.next.href, '/bookmarks?after=2')
  assert.equal(body._templates.create.properties.map((p: { name: string }) => p.name), ['bookmark_url', 'title', 'note'])
  assert.is(body._templates.create.properties[0].type, 'url')
  assert.equal(violations('application/hal+json', body), [])
})

test('the envelope rejects a template without a method', () => {
  const body = render(fixture(bookmark, 'queued'))
  delete body._templates.read.method
  assert.ok(violations('application/hal+json', body).length > 0)
})

test.run()
