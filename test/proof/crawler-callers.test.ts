import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Format } from '../../src/index.ts'
import { addDemoData, bookmark, demoUsers, visit } from '../../src/resources/index.ts'
import { crawlAsCaller, type CallerReport } from '../helpers/caller-crawler.ts'
import { examplesOf } from '../helpers/crawler-inputs.ts'
import { startServer } from '../helpers/server.ts'

// Links never lie, for everyone: every demo caller of both tenants, and an anonymous one, in
// every format. Field workers go before dispatchers so that visits assigned to them are still open.
const formats: readonly Format[] = ['application/json', 'application/hal+json', 'application/vnd.siren+json', 'text/html']
const order = ['reader', 'clinician', 'dispatcher', 'admin']
const callers = [...[...demoUsers].sort((a, b) => order.indexOf(a.roles[0] ?? '') - order.indexOf(b.roles[0] ?? '')), undefined]
const machines = {
  bookmarks: { machine: 'bookmark-machine', createInput: String(bookmark.createSchema.$id) },
  visits: { machine: 'visit-machine', createInput: String(visit.createSchema.$id) },
}
const examples = examplesOf([visit, bookmark])

/** The demo examples, with every demo user id moved into the caller's tenant. */
const examplesIn = (tenant: string) => (id: string): Record<string, unknown> | undefined => {
  const e = examples(id)
  return e === undefined ? undefined : Object.fromEntries(Object.entries(e).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/^(north|south)-/, `${tenant}-`) : v]))
}

const test = suite('conformance crawler, as every caller')

for (const accept of formats) {
  test(`${accept}: every caller follows every link shown, takes every action shown, and is refused every other`, async () => {
    const server = await startServer()
    try {
      await addDemoData(server.app.store)
      const reached = new Map<string, { tenant: string; action: string }>()
      const reports: [string, CallerReport][] = []
      for (const user of callers) {
        const tenant = user?.tenant ?? 'none'
        const report = await crawlAsCaller({ base: server.url, accept, user: user?.id, token: user === undefined ? undefined : server.tokens[user.id], tenant: user?.tenant, machines, exampleFor: examplesIn(tenant), reached, itemsPerCollection: 4 })
        reports.push([user?.id ?? 'anonymous', report])
      }
      let requests = 0
      for (const [who, r] of reports) {
        requests += r.requests
        const roles = demoUsers.find((u) => u.id === who)?.roles ?? []
        const lists = { bookmarks: roles.includes('reader') || roles.includes('admin'), visits: !roles.includes('reader') && roles.length > 0 }
        assert.equal(r.collections, Object.entries(lists).filter(([, v]) => v).map(([k]) => k), `${who}: collections reached`)
        assert.ok(r.followed >= 5, `${who}: ${r.followed} links followed`)
        // The first tenant's callers go first, before the other tenant has reached anything.
        if (!who.startsWith('north-')) assert.ok(r.foreignRefused > 0, `${who}: another tenant's resources tried`)
        if (who !== 'anonymous') {
          assert.ok(r.taken.length > 0, `${who}: no action taken`)
          assert.ok(r.refused > 0, `${who}: no hidden action tried`)
          assert.ok(r.searched >= r.collections.length, `${who}: ${r.searched} searches followed`)
        }
      }
      const taken = new Set(reports.flatMap(([, r]) => r.taken))
      console.log(`  ${accept}: ${callers.length} callers, ${taken.size} distinct edges taken, ${reports.reduce((n, [, r]) => n + r.refused, 0)} hidden actions refused, ${reports.reduce((n, [, r]) => n + r.searched, 0)} searches checked, ${requests} requests`)
    } finally {
      await server.close()
    }
  })
}

test.run()
