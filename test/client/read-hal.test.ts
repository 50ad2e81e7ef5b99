import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readHal } from '../../src/client/index.ts'

// Fixtures written from the HAL draft and the HAL-FORMS document (templates, properties).
const test = suite('client: HAL and HAL-FORMS reader')
const base = 'http://api.example.org/visits/7'

const item = {
  _links: { self: { href: '/visits/7' }, collection: { href: '/visits', title: 'visits' }, curies: [{ name: 'ex', href: 'http://example.org/rels/{rel}', templated: true }], 'ex:notes': [{ href: '/visits/7/notes' }, { href: '/other' }] },
  patient: 'Ada Lovelace',
  status: 'scheduled',
  _templates: {
    assign: { title: 'Assign a clinician', method: 'post', contentType: 'application/json', target: '/visits/7/assign', properties: [{ name: 'clinician_id', prompt: 'Clinician', required: true, regex: '^[a-z-]+$' }] },
    cancel: { method: 'POST', target: '/visits/7/cancel', properties: [{ name: 'reason', required: true, maxLength: 200 }] },
  },
}

test('properties are the data; reserved _ keys are not', () => {
  assert.equal(readHal(JSON.stringify(item), base).data, { patient: 'Ada Lovelace', status: 'scheduled' })
})

test('links by relation, the first of an array, resolved; curies are not links', () => {
  const { links } = readHal(JSON.stringify(item), base)
  assert.equal(links, { self: 'http://api.example.org/visits/7', collection: 'http://api.example.org/visits', 'ex:notes': 'http://api.example.org/visits/7/notes' })
})

test('each template is an action named by its key, with method, target, content type and fields', () => {
  const { actions } = readHal(JSON.stringify(item), base)
  assert.equal(Object.keys(actions), ['assign', 'cancel'])
  assert.equal(actions.assign, { href: 'http://api.example.org/visits/7/assign', method: 'POST', contentType: 'application/json', title: 'Assign a clinician', fields: [{ name: 'clinician_id', title: 'Clinician', required: true, pattern: '^[a-z-]+$' }] })
  assert.is(actions.cancel?.fields?.[0]?.maxLength, 200)
})

test('a template without target goes to self; without contentType it is JSON (HAL-FORMS defaults)', () => {
  const doc = { _links: { self: { href: '/bookmarks' } }, _templates: { default: { method: 'POST', properties: [{ name: 'title', type: 'text', value: 'x', min: '1', max: 9, options: { inline: ['a', { prompt: 'B', value: 'b' }] } }] } } }
  const { actions } = readHal(JSON.stringify(doc), base)
  assert.equal(actions.default, { href: 'http://api.example.org/bookmarks', method: 'POST', contentType: 'application/json', fields: [{ name: 'title', type: 'text', value: 'x', min: 1, max: 9, options: ['a', 'b'] }] })
})

test('a default template that repeats a named one is dropped; a lone default stays', () => {
  const t = { method: 'POST', target: '/visits/7/assign' }
  assert.equal(Object.keys(readHal(JSON.stringify({ _templates: { default: t, assign: t, cancel: { method: 'POST', target: '/visits/7/cancel' } } }), base).actions), ['assign', 'cancel'])
  assert.equal(Object.keys(readHal(JSON.stringify({ _templates: { default: t } }), base).actions), ['default'])
})

test('embedded resources are the items, by their self links', () => {
  const list = { _links: { self: { href: '/visits' } }, _embedded: { item: [{ _links: { self: { href: '/visits/1' } } }, { _links: { self: { href: '/visits/2' } } }, { no: 'links' }] } }
  assert.equal(readHal(JSON.stringify(list), base).items, ['http://api.example.org/visits/1', 'http://api.example.org/visits/2'])
})

test('not JSON, or not an object: an empty reading', () => {
  for (const body of ['', 'nope', '[1,2]', 'null']) assert.equal(readHal(body, base), { data: {}, links: {}, actions: {}, items: [] })
})

test.run()
