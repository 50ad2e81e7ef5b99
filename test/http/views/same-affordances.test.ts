import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bookmark, demoUsers, visit } from '../../../src/resources/index.ts'
import { resourceIn } from '../../helpers/machines.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Links never lie in any format: every format and the Link header offer the same actions.
const test = suite('the same affordances in every format, for every caller')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

type Body = Record<string, unknown> & { _templates?: Record<string, unknown>; actions?: { name: string }[] }
const offered = {
  'application/json': (b: Body, names: string[]) => names.filter((n) => `${n.replaceAll('-', '_')}_url` in b),
  'application/hal+json': (b: Body) => Object.keys(b._templates ?? {}).filter((k) => k !== 'default'),
  'application/vnd.siren+json': (b: Body) => (b.actions ?? []).map((a) => a.name),
} as const
const posted = (link: string | null): string[] => [...(link ?? '').matchAll(/rel="([^"]+)"; method="POST"/g)].map((m) => m[1] as string)

for (const type of [bookmark, visit]) {
  const names = type.machine.actions.map((a) => a.name)
  for (const state of type.machine.states) {
    test(`${type.name} in ${state}: each north user sees one set of actions, in every format and the Link header`, async () => {
      // The reader owns the bookmark so that it is visible to them; visits belong to the tenant.
      const { url } = await resourceIn(server, type, state, type === bookmark ? 'north-reader' : 'north-admin')
      let visible = 0
      for (const user of demoUsers.filter((u) => u.tenant === 'north')) {
        const seen = new Set<string>()
        for (const [accept, read] of Object.entries(offered)) {
          const r = await server.request('GET', url, { as: user.id, headers: { accept } })
          if (r.status === 404) continue
          assert.is(r.status, 200, `${user.id} ${accept}`)
          seen.add(JSON.stringify(read(r.json as Body, names)))
          seen.add(JSON.stringify(posted(r.headers.get('link'))))
        }
        assert.ok(seen.size <= 1, `${user.id}: ${[...seen].join(' vs ')}`)
        if (seen.size === 1) visible++
      }
      assert.ok(visible >= 2, 'at least two callers see the resource')
    })
  }
}

test.run()
