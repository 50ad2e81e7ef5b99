import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bookmark, visit } from '../../src/resources/index.ts'
import { examplesOf, fill, schemaIds } from '../helpers/crawler-inputs.ts'

const test = suite('crawler inputs')

test('advertised fields are filled from the example, else from their own constraints; hidden fields are left to the client', () => {
  const fields = [{ name: 'lat', type: 'number', min: -90, max: 90 }, { name: 'code', pattern: '[0-9]+' }, { name: 'when', type: 'datetime-local' }, { name: 'pick', options: ['b', 'c'] }, { name: '_if_match', type: 'hidden', value: '"1"' }, { name: 'long', minLength: 9 }]
  assert.equal(fill(fields, { lat: 51.5 }), { lat: 51.5, code: '1', when: '2026-12-01T09:00:00Z', pick: 'b', long: 'samplexxx' })
  assert.equal(fill([{ name: 'n', type: 'number', min: 5, max: 7 }], undefined), { n: 5 })
})

test('without fields the example is the input, or nothing', () => {
  assert.equal(fill([], { reason: 'r' }), { reason: 'r' })
  assert.equal(fill(undefined, undefined), {})
})

test('schema ids: own $id, nested $ids and $refs resolved against the enclosing $id', () => {
  const schema = { $id: 'https://x.dev/schemas/a.json', $defs: { b: { $ref: 'b.json' }, c: { $id: 'https://y.dev/c.json', items: { $ref: '#/x' } } } }
  assert.equal(schemaIds(schema), ['https://x.dev/schemas/a.json', 'https://x.dev/schemas/b.json', 'https://y.dev/c.json', 'https://y.dev/c.json#/x'])
  assert.equal(schemaIds('not a schema'), [])
})

test('examples by $id: create examples by data or create schema, action examples by input schema', () => {
  const exampleFor = examplesOf([visit, bookmark])
  assert.equal(exampleFor(String(visit.createSchema.$id)), visit.examples?.[0])
  assert.equal(exampleFor(String(bookmark.schema.$id)), bookmark.examples?.[0])
  assert.equal(exampleFor(String(visit.machine.actions.find((a) => a.name === 'check-in')?.input)), visit.exampleInputs?.['check-in'])
  assert.is(exampleFor('https://nowhere.example/schema.json'), undefined)
})

test.run()
