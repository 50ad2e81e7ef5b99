import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { graph } from '../../src/cli/graph.ts'
import { exportSchemas } from '../../src/cli/schemas.ts'
import { bookmark, bookmarkMachine, visit, visitMachine } from '../../src/resources/index.ts'

const test = suite('npm run graph, npm run schemas')
const machines = [bookmarkMachine, visitMachine]

test('graph writes DOT, Mermaid and SVG, highlighting a state', async () => {
  const dot = await graph(machines, ['visit', '--format', 'dot', '--state', 'on_site'])
  assert.ok(dot.ok && dot.text.startsWith('digraph "visit"') && dot.text.includes('"on_site" [style="rounded,filled,bold"'))
  const mermaid = await graph(machines, ['bookmark', '--format', 'mermaid'])
  assert.ok(mermaid.ok && mermaid.text.startsWith('stateDiagram-v2'))
  const svg = await graph(machines, ['bookmark'])
  assert.ok(svg.ok && svg.text.includes('<svg'))
})

test('graph refuses unknown machines, formats and states', async () => {
  for (const args of [[], ['nothing'], ['visit', '--format', 'png'], ['visit', '--state', 'nowhere'], ['visit', 'bookmark']]) {
    const r = await graph(machines, args)
    assert.is(r.ok, false, args.join(' '))
  }
})

test('schemas exports envelopes and contracts a plain validator can use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-schemas-'))
  try {
    const names = exportSchemas([bookmark, visit], dir)
    assert.equal(readdirSync(dir).sort(), [...names].sort())
    for (const name of ['hal-forms.json', 'siren.json', 'restful-json.json', 'bookmark-restful-json-contract.json', 'visit-siren-exact-contract.json']) assert.ok(names.includes(name), name)
    // What a user does: load a contract file and validate a body with it.
    const check = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(join(dir, 'bookmark-restful-json-contract.json'), 'utf8')) as object)
    const queued = { url: '/bookmarks/1', data: { read_status: 'queued' }, read_url: '/bookmarks/1/read', archive_url: '/bookmarks/1/archive' }
    assert.ok(check(queued))
    assert.not.ok(check({ ...queued, reread_url: '/bookmarks/1/reread' }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
