import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parseLinkHeader } from '../../src/client/index.ts'

const test = suite('client: Link header (RFC 8288)')
const base = 'http://example.org/visits/7'

test('reads targets, relations and parameters, resolving against the base', () => {
  const links = parseLinkHeader('</visits/7>; rel="self", </visits/7/assign>; rel="assign"; method="POST"; title="Assign a clinician"', base)
  assert.equal(links.map((l) => [l.href, l.rels, l.params.method]), [['http://example.org/visits/7', ['self'], undefined], ['http://example.org/visits/7/assign', ['assign'], 'POST']])
  assert.is(links[1]?.params.title, 'Assign a clinician')
})

test('a relation list names several relations; tokens need no quotes', () => {
  assert.equal(parseLinkHeader('<https://example.org/a>; rel="next last"; type=text/html')[0], { href: 'https://example.org/a', rels: ['next', 'last'], params: { rel: 'next last', type: 'text/html' } })
})

test('commas and semicolons inside quoted strings belong to the value (§3)', () => {
  const links = parseLinkHeader('</a>; rel=x; title="one, two; three \\"four\\"", </b>; rel=y', base)
  assert.is(links.length, 2)
  assert.is(links[0]?.params.title, 'one, two; three "four"')
  assert.is(links[1]?.href, 'http://example.org/b')
})

test('only the first rel counts (§3.3); parameter names are case-insensitive', () => {
  assert.equal(parseLinkHeader('</a>; REL=first; rel=second')[0]?.rels, ['first'])
})

test('empty, missing and malformed values give what could be read, never throw', () => {
  assert.equal(parseLinkHeader(null), [])
  assert.equal(parseLinkHeader(''), [])
  assert.equal(parseLinkHeader('garbage'), [])
  assert.is(parseLinkHeader('</ok>; rel=a, nonsense, </later>; rel=b').length, 1)
})

test.run()
