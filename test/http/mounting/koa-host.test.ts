import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Format } from '../../../src/index.ts'
import { addDemoData, bookmark, demoUsers, visit } from '../../../src/resources/index.ts'
import { crawl, formatCoverage, type CrawlTarget } from '../../helpers/crawler.ts'
import { crawlAsCaller, type CallerReport } from '../../helpers/caller-crawler.ts'
import { examplesOf } from '../../helpers/crawler-inputs.ts'
import { HOST_GREETING, HOST_MISSING, startMounted, type MountedServer } from '../../helpers/mounted.ts'

// The conformance crawlers, against the app mounted at /api inside a Koa app that serves routes of its own.
const formats: readonly Format[] = ['application/json', 'application/hal+json', 'application/vnd.siren+json', 'text/html']
const targets: readonly CrawlTarget[] = [
  { collection: 'visits', machine: 'visit-machine', users: ['north-dispatcher', 'north-clinician-1', 'north-admin'], createInput: String(visit.createSchema.$id) },
  { collection: 'bookmarks', machine: 'bookmark-machine', users: ['north-reader'], createInput: String(bookmark.createSchema.$id) },
]
const examples = examplesOf([visit, bookmark])

const test = suite('mounted at /api in a Koa app')
let server: MountedServer
test.before(async () => { server = await startMounted('koa') })
test.after(async () => { await server.close() })

test('the host keeps its own routes, and paths outside /api go on to its next middleware', async () => {
  const hello = await fetch(`${server.origin}/hello`)
  assert.is(hello.status, 200)
  assert.is(await hello.text(), HOST_GREETING)
  for (const path of ['/', '/bookmarks', '/apix', '/apis/bookmarks', '/schemas/bookmark.json']) {
    const res = await fetch(`${server.origin}${path}`)
    assert.is(res.status, 404, path)
    assert.is(await res.text(), HOST_MISSING, path)
  }
})

test('the entry point answers at /api and /api/', async () => {
  for (const path of ['/api', '/api/']) {
    const res = await fetch(`${server.origin}${path}`, { headers: { authorization: `Bearer ${server.tokens['north-reader'] ?? ''}` } })
    assert.is(res.status, 200, path)
    const body = (await res.json()) as Record<string, unknown>
    assert.is(body.url, '/api/')
    assert.is(body.bookmarks_url, '/api/bookmarks')
  }
})

for (const format of formats) {
  test(`${format}: every state, edge and non-edge, from /api/`, async () => {
    const coverage = await crawl({ entry: `${server.origin}/api/`, accept: format, tokens: server.tokens, targets, exampleFor: examples })
    for (const c of coverage) {
      console.log(`  mounted ${format} ${formatCoverage(c)}`)
      assert.is(c.states.reached.length, c.states.total, `${c.machine}: states reached ${c.states.reached.join(', ')}`)
      assert.is(c.edges.taken.length, c.edges.total, `${c.machine}: edges taken ${c.edges.taken.join(', ')}`)
      assert.is(c.nonEdges.refused.length, c.nonEdges.total, `${c.machine}: non-edges refused`)
    }
    assert.equal(coverage.map((c) => c.machine).sort(), ['bookmark', 'visit'])
  })
}

const machines = {
  bookmarks: { machine: 'bookmark-machine', createInput: String(bookmark.createSchema.$id) },
  visits: { machine: 'visit-machine', createInput: String(visit.createSchema.$id) },
}
const examplesIn = (tenant: string) => (id: string): Record<string, unknown> | undefined => {
  const e = examples(id)
  return e === undefined ? undefined : Object.fromEntries(Object.entries(e).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/^(north|south)-/, `${tenant}-`) : v]))
}

for (const accept of formats) {
  test(`${accept}: every caller follows every link shown under /api and is refused every action hidden`, async () => {
    const fresh = await startMounted('koa')
    try {
      await addDemoData(fresh.app.store)
      const reached = new Map<string, { tenant: string; action: string }>()
      const reports: [string, CallerReport][] = []
      // Field workers go before dispatchers, so that visits assigned to them are still open.
      const order = ['reader', 'clinician', 'dispatcher', 'admin']
      const callers = [...[...demoUsers].sort((a, b) => order.indexOf(a.roles[0] ?? '') - order.indexOf(b.roles[0] ?? '')), undefined]
      for (const user of callers) {
        const report = await crawlAsCaller({ base: `${fresh.origin}/api`, accept, user: user?.id, token: user === undefined ? undefined : fresh.tokens[user.id], tenant: user?.tenant, machines, exampleFor: examplesIn(user?.tenant ?? 'none'), reached, itemsPerCollection: 4 })
        reports.push([user?.id ?? 'anonymous', report])
      }
      for (const [who, r] of reports) {
        assert.ok(r.followed >= 5, `${who}: ${r.followed} links followed`)
        if (who !== 'anonymous') assert.ok(r.taken.length > 0 && r.refused > 0, `${who}: ${r.taken.length} taken, ${r.refused} refused`)
      }
    } finally {
      await fresh.close()
    }
  })
}

test.run()
