import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readSiren } from '../../src/client/index.ts'

// Fixtures written from the Siren specification (entity, sub-entities, actions, fields, links).
const test = suite('client: Siren reader')
const base = 'http://api.x.io/orders/42'

const order = {
  class: ['order'],
  properties: { orderNumber: 42, itemCount: 3, status: 'pending' },
  entities: [
    { class: ['items', 'collection'], rel: ['http://x.io/rels/order-items'], href: 'http://api.x.io/orders/42/items' },
    { class: ['info', 'customer'], rel: ['http://x.io/rels/customer'], properties: { customerId: 'pj123' }, links: [{ rel: ['self'], href: '/customers/pj123' }] },
    { rel: ['item'], properties: { orphan: true } },
  ],
  actions: [
    { name: 'add-item', title: 'Add Item', method: 'POST', href: '/orders/42/items', type: 'application/x-www-form-urlencoded', fields: [{ name: 'orderNumber', type: 'hidden', value: '42' }, { name: 'productCode', type: 'text' }, { name: 'quantity', type: 'number' }] },
    { name: 'search', href: '/orders' },
    { name: 'check-in', method: 'POST', href: 'http://api.x.io/orders/42/check-in', type: 'application/json', fields: [{ name: 'lat', type: 'number', title: 'Latitude', required: true, min: -90, max: 90 }, { name: 'meta', type: 'hidden', value: { a: 1 } }, { name: 'note', minLength: 1, maxLength: 9, pattern: '^a' }] },
    { title: 'no name', href: '/x' },
  ],
  links: [{ rel: ['self'], href: 'http://api.x.io/orders/42' }, { rel: ['previous', 'prev'], href: '/orders/41' }, { rel: ['next'], href: '/orders/43' }, { rel: ['broken'] }],
}
const reading = readSiren(JSON.stringify(order), base)

test('properties are the data', () => {
  assert.equal(reading.data, { orderNumber: 42, itemCount: 3, status: 'pending' })
})

test('every relation of a link names it; hrefs are resolved', () => {
  assert.equal(reading.links, { self: 'http://api.x.io/orders/42', previous: 'http://api.x.io/orders/41', prev: 'http://api.x.io/orders/41', next: 'http://api.x.io/orders/43' })
})

test('actions carry method, href, type and fields (with the constraints servers add); method GET and form encoding by default', () => {
  assert.equal(Object.keys(reading.actions), ['add-item', 'search', 'check-in'])
  assert.equal(reading.actions['add-item'], { href: 'http://api.x.io/orders/42/items', method: 'POST', contentType: 'application/x-www-form-urlencoded', title: 'Add Item', fields: [{ name: 'orderNumber', type: 'hidden', value: '42' }, { name: 'productCode', type: 'text' }, { name: 'quantity', type: 'number' }] })
  assert.equal(reading.actions.search, { href: 'http://api.x.io/orders', method: 'GET', contentType: 'application/x-www-form-urlencoded', fields: [] })
  assert.equal(reading.actions['check-in']?.fields, [{ name: 'lat', type: 'number', title: 'Latitude', required: true, min: -90, max: 90 }, { name: 'meta', type: 'hidden', value: '{"a":1}' }, { name: 'note', pattern: '^a', minLength: 1, maxLength: 9 }])
})

test('sub-entities are items: embedded links by href, representations by self link', () => {
  assert.equal(reading.items, ['http://api.x.io/orders/42/items', 'http://api.x.io/customers/pj123'])
})

test.run()
