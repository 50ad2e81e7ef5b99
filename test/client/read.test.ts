import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readerFor, readHal, readHtml, readResponse, readRestfulJson, readSiren } from '../../src/client/index.ts'

const test = suite('client: RESTful JSON reader and Link header merge')
const base = 'http://localhost:3000/visits/7'

const body = JSON.stringify({ url: '/visits/7', data: { patient: 'Ada', status: 'scheduled' }, assign_url: '/visits/7/assign', check_in_url: '/visits/7/check-in', history_url: '/visits/7/history' })
const header = '</visits/7>; rel="self", </visits/7/history>; rel="history", </visits/7/assign>; rel="assign"; method="POST"; title="Assign", </visits/7/check-in>; rel="check-in"; method="POST"'

test('RESTful JSON alone: data, and every *_url a link named by its key (check_in → check-in)', () => {
  const r = readRestfulJson(body, base)
  assert.equal(r.data, { patient: 'Ada', status: 'scheduled' })
  assert.equal(Object.keys(r.links), ['self', 'assign', 'check-in', 'history'])
  assert.equal(r.actions, {})
})

test('with the Link header, links with a method are actions and leave the links', () => {
  const r = readResponse('application/json; charset=utf-8', body, base, header)
  assert.equal(r.links, { self: 'http://localhost:3000/visits/7', history: 'http://localhost:3000/visits/7/history' })
  assert.equal(r.actions, {
    assign: { href: 'http://localhost:3000/visits/7/assign', method: 'POST', contentType: 'application/json', title: 'Assign' },
    'check-in': { href: 'http://localhost:3000/visits/7/check-in', method: 'POST', contentType: 'application/json' },
  })
})

test('collections: items by url; create_url is an action when the header says so', () => {
  const list = JSON.stringify({ url: '/visits', items: [{ url: '/visits/1' }, { url: '/visits/2' }, 'junk'], create_url: '/visits', next_url: '/visits?after=2' })
  const r = readResponse('application/json', list, 'http://h/visits', '</visits>; rel="self", </visits>; rel="create"; method="POST"')
  assert.equal(r.items, ['http://h/visits/1', 'http://h/visits/2'])
  assert.equal(Object.keys(r.actions), ['create'])
  assert.equal(r.links, { self: 'http://h/visits', next: 'http://h/visits?after=2' })
})

test('the body of a format wins over the header for the same action', () => {
  const siren = JSON.stringify({ actions: [{ name: 'assign', method: 'POST', href: '/visits/7/assign', type: 'application/x-www-form-urlencoded', fields: [] }] })
  assert.is(readResponse('application/vnd.siren+json', siren, base, header).actions.assign?.contentType, 'application/x-www-form-urlencoded')
})

test('the reader is chosen by media type, parameters and case aside', () => {
  assert.is(readerFor('application/hal+json; charset=utf-8'), readHal)
  assert.is(readerFor('application/prs.hal-forms+json'), readHal)
  assert.is(readerFor('Application/Vnd.Siren+JSON'), readSiren)
  assert.is(readerFor('text/html;charset=utf-8'), readHtml)
  assert.is(readerFor('application/problem+json'), readRestfulJson)
})

test.run()
