import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { issueToken } from '../src/index.ts'
import type { AffordanceApp, ResourceType } from '../src/index.ts'

// The README's "Declaring a resource type" example, run as written (minus the listen call).
const test = suite('README example')
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const code = /## Declaring a resource type[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''

test('the example defines a type that createApp serves with links that follow its machine', async () => {
  assert.ok(code.includes('defineResource'), 'example found')
  const dir = mkdtempSync(join(tmpdir(), 'affordance-readme-'))
  const file = join(dir, 'example.mts')
  const source = code
    .replace("from 'affordance'", `from ${JSON.stringify(pathToFileURL(new URL('../src/index.ts', import.meta.url).pathname).href)}`)
    .replace("database: 'data/tickets.db'", `database: ${JSON.stringify(join(dir, 'tickets.db'))}`)
    .replace('app.listen(3000)', 'export { app }')
  writeFileSync(file, source)
  const mod = (await import(pathToFileURL(file).href)) as { app: AffordanceApp; tickets: ResourceType }
  const { app } = mod
  const server = app.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const token = await issueToken(app.store, { id: 'u1', name: 'Agent', tenant: 't', roles: ['agent'] }, Date.now())
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  try {
    const created = await fetch(`${base}/tickets`, { method: 'POST', headers: auth, body: JSON.stringify({ subject: 'Printer on fire' }) })
    assert.is(created.status, 201)
    const body = (await created.json()) as Record<string, unknown>
    assert.ok(body.start_url && body.close_url)
    const closed = await fetch(`${base}${body.close_url as string}`, { method: 'POST', headers: auth, body: JSON.stringify({ resolution: 'Extinguished' }) })
    assert.is(closed.status, 200)
    const after = (await closed.json()) as { data: Record<string, unknown> }
    assert.equal(after.data, { subject: 'Printer on fire', resolution: 'Extinguished', status: 'closed' })
    const again = await fetch(`${base}${body.start_url as string}`, { method: 'POST', headers: auth })
    assert.is(again.status, 409)
  } finally {
    server.close()
    app.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
test.run()
