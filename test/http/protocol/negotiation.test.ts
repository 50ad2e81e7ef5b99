import fc from 'fast-check'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bookmark } from '../../../src/resources/index.ts'
import { resourceIn } from '../../helpers/machines.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

const test = suite('content negotiation')
let server: TestServer
let url: string
test.before(async () => {
  server = await startServer()
  url = (await resourceIn(server, bookmark, 'queued', 'north-reader')).url
})
test.after(async () => { await server.close() })

const JSON_ = 'application/json'
const HAL = 'application/hal+json'
const SIREN = 'application/vnd.siren+json'

// Accept → the media type served, or 406 (RFC 9110 §12.5.1).
const table: readonly [string | undefined, string | 406][] = [
  [undefined, JSON_],
  ['*/*', JSON_],
  ['application/*', JSON_],
  [JSON_, JSON_],
  [HAL, HAL],
  [SIREN, SIREN],
  ['application/prs.hal-forms+json', 'application/prs.hal-forms+json'],
  [`${HAL};q=0.5, ${SIREN};q=0.9`, SIREN],
  [`${JSON_};q=0.1, ${HAL}`, HAL],
  [`*/*;q=0.1, ${SIREN}`, SIREN],
  [`application/*;q=0.2, ${HAL};q=0.8`, HAL],
  [`${SIREN};q=0, */*`, JSON_],
  [`${HAL};q=0`, 406],
  ['application/xml', 406],
  ['image/png, text/csv', 406],
  ['application/vnd.unknown+json', 406],
  ['text/html', 'text/html'],
  ['text/*', 'text/html'],
  ['text/html, */*;q=0.8', 'text/html'],
  [`text/html;q=0.5, ${HAL}`, HAL],
]

for (const [accept, expected] of table) {
  for (const path of ['item', 'collection'] as const) {
    test(`${path}: Accept ${accept ?? '(none)'} → ${expected}`, async () => {
      const r = await server.request('GET', path === 'item' ? url : '/bookmarks', { as: 'north-reader', ...(accept !== undefined && { headers: { accept } }) })
      assert.ok((r.headers.get('vary') ?? '').split(/,\s*/).includes('Accept'), 'Vary: Accept')
      if (expected === 406) {
        assert.is(r.status, 406)
        return
      }
      assert.is(r.status, 200)
      assert.is((r.headers.get('content-type') ?? '').split(';')[0], expected)
    })
  }
}

test('each format has its own ETag for the same version', async () => {
  const tags = await Promise.all([JSON_, HAL, SIREN, 'application/prs.hal-forms+json'].map(async (accept) => (await server.request('GET', url, { as: 'north-reader', headers: { accept } })).headers.get('etag')))
  assert.is(new Set(tags).size, 4)
})

test('a conditional GET with one format\'s ETag is not fresh in another', async () => {
  const hal = await server.request('GET', url, { as: 'north-reader', headers: { accept: HAL } })
  const again = await server.request('GET', url, { as: 'north-reader', headers: { accept: HAL, 'if-none-match': hal.headers.get('etag') as string } })
  assert.is(again.status, 304)
  const other = await server.request('GET', url, { as: 'north-reader', headers: { accept: SIREN, 'if-none-match': hal.headers.get('etag') as string } })
  assert.is(other.status, 200)
})

test('any Accept header gets one of our formats or a 406 problem, never a 500', async () => {
  const range = fc.constantFrom('*/*', 'application/*', 'text/*', JSON_, HAL, SIREN, 'application/prs.hal-forms+json', 'text/html', 'image/png', 'application/xml', 'x/y', '', ';;', '*/json')
  const q = fc.option(fc.constantFrom('0', '0.001', '0.5', '1', '1.0', 'abc', '-1', '2'), { nil: undefined })
  const accept = fc.array(fc.tuple(range, q).map(([r, w]) => (w === undefined ? r : `${r};q=${w}`)), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(', '))
  const served = new Set([JSON_, HAL, SIREN, 'application/prs.hal-forms+json', 'text/html'])
  await fc.assert(fc.asyncProperty(accept, async (value) => {
    const r = await server.request('GET', url, { as: 'north-reader', headers: { accept: value } })
    if (r.status === 406) return true
    return r.status === 200 && served.has((r.headers.get('content-type') ?? '').split(';')[0] ?? '')
  }), { numRuns: 60 })
})

// The shared response check validates each of these bodies against its format's envelope.
for (const [accept, marker] of [[HAL, '_links'], [SIREN, 'links']] as const) {
  test(`entry point and history are served in ${accept}`, async () => {
    const entry = await server.request('GET', '/', { as: 'north-reader', headers: { accept } })
    assert.is(entry.status, 200)
    assert.ok(marker in entry.json)
    const history = await server.request('GET', `${url}/history`, { as: 'north-reader', headers: { accept } })
    assert.is(history.status, 200)
    assert.is((history.headers.get('content-type') ?? '').split(';')[0], accept)
    assert.ok(marker in history.json)
  })
}

test.run()
