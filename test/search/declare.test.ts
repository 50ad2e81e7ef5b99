import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { defineMachine, defineResource, type QueryKind } from '../../src/index.ts'

// A type's queryable fields are checked against its data schema when it is defined.
const test = suite('search declaration')
const machine = defineMachine({ name: 'thing', initial: 'open', states: ['open', 'shut'], terminal: ['shut'], actions: { shut: { from: 'open', to: 'shut' } } })
const schema = {
  $id: 'https://example.org/thing.json',
  type: 'object',
  required: ['at'],
  properties: { name: { type: 'string' }, kind: { enum: ['a', 'b'] }, size: { type: 'integer' }, at: { type: 'string', format: 'date-time' }, ok: { type: 'boolean' }, at_after: { type: 'string' } },
}
const define = (query: Record<string, QueryKind>) => defineResource({ name: 'thing', collection: 'things', schema, machine, policy: { view: ['r'], create: ['r'] }, query })

test('the state comes first, then each declared field as what it is', () => {
  assert.equal(define({ name: 'equals', kind: 'equals', size: 'range', at: 'range' }).search, [
    { kind: 'state', name: 'state', values: ['open', 'shut'] },
    { kind: 'equals', name: 'name' },
    { kind: 'equals', name: 'kind', values: ['a', 'b'] },
    { kind: 'range', name: 'size', as: 'number', sortable: false },
    { kind: 'range', name: 'at', as: 'date-time', sortable: true },
  ])
  assert.equal(define({}).search.length, 1)
})

test('a field the schema lacks, of the wrong type, or clashing with another parameter is refused by name', () => {
  const cases: [Record<string, QueryKind>, string][] = [
    [{ colour: 'equals' }, 'field "colour", which its data schema does not have'],
    [{ size: 'equals' }, '"size" is compared for equality'],
    [{ name: 'range' }, '"name" is a range'],
    [{ ok: 'equals' }, '"ok" is compared for equality'],
    [{ state: 'equals' }, 'may always be queried'],
    [{ at: 'range', at_after: 'equals' }, '"at_after" would be read twice'],
    [{ name: 'like' as QueryKind }, 'must be "equals" or "range"'],
  ]
  for (const [query, says] of cases) assert.throws(() => define(query), (e: Error) => e.message.includes(says), says)
})

test.run()
