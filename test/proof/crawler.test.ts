import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Format } from '../../src/index.ts'
import { bookmark, visit } from '../../src/resources/index.ts'
import { crawl, formatCoverage, type CrawlTarget } from '../helpers/crawler.ts'
import { examplesOf } from '../helpers/crawler-inputs.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

// Every format must be served and crawled to full coverage.
const formats: readonly Format[] = ['application/json', 'application/hal+json', 'application/vnd.siren+json', 'text/html']
const mandatory: readonly Format[] = formats

const targets: readonly CrawlTarget[] = [
  { collection: 'visits', machine: 'visit-machine', users: ['north-dispatcher', 'north-clinician-1', 'north-admin'], createInput: String(visit.createSchema.$id) },
  { collection: 'bookmarks', machine: 'bookmark-machine', users: ['north-reader'], createInput: String(bookmark.createSchema.$id) },
]

// Formats are found by asking the server, before the cases are declared: a format that is
// served is crawled and must pass; a mandatory one that is not served fails the suite.
const server: TestServer = await startServer()
const served: Format[] = []
for (const f of formats) {
  const r = await server.request('GET', '/', { as: 'north-reader', headers: { accept: f } })
  if (r.status === 200 && (r.headers.get('content-type') ?? '').startsWith(f)) served.push(f)
}
console.log(`\n  crawler formats: ${served.join(', ')}${served.length < formats.length ? ` (not served: ${formats.filter((f) => !served.includes(f)).join(', ')})` : ''}`)

const test = suite('conformance crawler')
test.after(async () => { await server.close() })

test('the mandatory formats are served', () => {
  for (const f of mandatory) assert.ok(served.includes(f), `${f} is not served`)
})

for (const format of mandatory) {
  test(`${format}: every state, edge and non-edge, from the entry point`, async () => {
    const coverage = await crawl({ entry: `${server.url}/`, accept: format, tokens: server.tokens, targets, exampleFor: examplesOf([visit, bookmark]) })
    for (const c of coverage) {
      console.log(`  ${format} ${formatCoverage(c)}`)
      assert.is(c.states.reached.length, c.states.total, `${c.machine}: states reached ${c.states.reached.join(', ')}`)
      assert.is(c.edges.taken.length, c.edges.total, `${c.machine}: edges taken ${c.edges.taken.join(', ')}`)
      assert.is(c.nonEdges.refused.length, c.nonEdges.total, `${c.machine}: non-edges refused`)
    }
    assert.equal(coverage.map((c) => c.machine).sort(), ['bookmark', 'visit'])
  })
}

test.run()
