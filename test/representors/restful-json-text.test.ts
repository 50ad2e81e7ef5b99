import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { restfulJson } from '../../representors/restful-json.ts'
import type { ResourceView } from '../../representors/types.ts'

// RESTful JSON is written as text: it must be the very text JSON.stringify gives for the object it stands for.
const test = suite('RESTful JSON text')

const view = (data: Record<string, unknown>): ResourceView => ({
  kind: 'resource', type: 'bookmark', url: '/bookmarks/b1', id: 'b1', title: 't', state: 'queued', stateField: 'read_status', data, version: 1,
  actions: [{ name: 'check-in', title: 'Check in', method: 'POST', href: '/bookmarks/b1/check-in', contentType: 'application/json' }],
  links: [{ rel: 'self', href: '/bookmarks/b1' }, { rel: 'collection', href: '/bookmarks' }, { rel: 'describedby', href: '/schemas/x.json' }, { rel: 'history', href: '/bookmarks/b1/history' }],
})

const asObject = (v: ResourceView): string => JSON.stringify({
  url: v.url, data: { ...v.data, [v.stateField]: v.state }, check_in_url: '/bookmarks/b1/check-in', collection_url: '/bookmarks', history_url: '/bookmarks/b1/history',
})

for (const [label, data] of [
  ['plain data', { title: 'A', n: 2, nested: { a: [1, null] } }],
  ['no data', {}],
  ['quotes, backslashes, controls and non-ASCII', { title: 'say "hi" \\ \n\u0001 ünïcödé 🚀' }],
  ['data that already holds the state field', { read_status: 'stale', title: 'x' }],
] as const) {
  test(label, () => {
    const v = view(data)
    const text = restfulJson.render(v, { origin: 'http://localhost' })
    assert.is(text, asObject(v))
  })
}

test('URLs and states that need escapes are escaped', () => {
  const v = { ...view({ a: 1 }), url: '/bookmarks/"odd\\id\u00e9', state: 'in "quotes"' }
  const text = restfulJson.render(v, { origin: 'http://localhost' })
  assert.equal(JSON.parse(text).url, '/bookmarks/"odd\\id\u00e9')
  assert.equal(JSON.parse(text).data.read_status, 'in "quotes"')
  assert.is(text, JSON.stringify({ url: v.url, data: { a: 1, read_status: v.state }, check_in_url: '/bookmarks/b1/check-in', collection_url: '/bookmarks', history_url: '/bookmarks/b1/history' }))
})

test('a collection embeds its items as text too', () => {
  const items = [view({ a: 1 }), view({})]
  const text = restfulJson.render({ kind: 'collection', type: 'bookmark', url: '/bookmarks', title: 'bookmarks', items, links: [], next: '/bookmarks?after=2' }, { origin: 'http://localhost' })
  assert.equal(JSON.parse(text), { url: '/bookmarks', items: items.map((i) => JSON.parse(asObject(i))), next_url: '/bookmarks?after=2' })
})

test.run()
