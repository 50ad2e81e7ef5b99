import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { exportSchemas } from '../../src/cli/schemas.ts'
import { createApp, defineMachine, defineResource, type ResourceType } from '../../src/index.ts'
import { bookmark, visit } from '../../src/resources/index.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

// One name per schema: what the server serves at /schemas/<name>, what the export writes,
// and what representations link to are the same names.
const test = suite('schema file names')

const closed = (id: string | undefined, props: Record<string, unknown>) => ({ ...(id !== undefined && { $id: id }), type: 'object', properties: props, additionalProperties: false })
const machine = (name: string, input?: string) => defineMachine({ name, initial: 'new', states: ['new', 'old'], terminal: ['old'], actions: { age: { from: 'new', to: 'old', roles: ['admin'], ...(input !== undefined && { input }) } } })
const gizmo = (name: string, createId: string | undefined, inputId = `https://example.org/schemas/${name}-age.json`): ResourceType => defineResource({
  name,
  collection: `${name}s`,
  schema: closed(`https://example.org/schemas/${name}.json`, { label: { type: 'string' }, age: { type: 'integer' } }),
  // A create schema whose `$id` says nothing of its type, or that has none.
  createSchema: closed(createId, { label: { type: 'string' } }),
  inputs: [closed(inputId, { age: { type: 'integer' } })],
  machine: machine(name, inputId),
  policy: { view: ['admin'], create: ['admin'] },
})
const types = [bookmark, visit, gizmo('gizmo', 'https://example.org/schemas/new-thing.json'), gizmo('widget', undefined)]

let server: TestServer
let dir: string
let exported: string[]
test.before(async () => {
  server = await startServer({ resources: types })
  dir = mkdtempSync(join(tmpdir(), 'affordance-schemas-'))
  exported = exportSchemas(types, dir).sort()
})
test.after(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

test('the server serves exactly the files the export writes, with the same documents', async () => {
  assert.equal([...server.app.affordance.schemaDocs.keys()].sort(), exported)
  for (const name of exported) {
    const r = await server.request('GET', `/schemas/${name}`)
    assert.is(r.status, 200, name)
    assert.equal(r.json, JSON.parse(readFileSync(join(dir, name), 'utf8')), name)
  }
  assert.ok(exported.includes('gizmo-create.json') && exported.includes('widget-create.json'), 'a create schema is named by its type')
})

test('every schema a representation links to is one of them', async () => {
  const as = 'north-admin'
  const created = await server.request('POST', '/gizmos', { as, json: { label: 'g' } })
  assert.is(created.status, 201)
  const linked = new Set<string>()
  for (const path of ['/', '/gizmos', '/bookmarks', '/visits', created.headers.get('location') ?? '']) {
    for (const accept of ['application/json', 'application/hal+json', 'application/vnd.siren+json', 'text/html']) {
      const r = await server.request('GET', path, { as, headers: { accept } })
      for (const m of `${r.headers.get('link') ?? ''} ${r.text}`.matchAll(/\/schemas\/([^"'<>\s?#]+)/g)) linked.add(m[1] ?? '')
    }
  }
  assert.ok(linked.size >= 4, [...linked].join(', '))
  for (const name of linked) assert.ok(exported.includes(name), `${name} is linked but not exported`)
})

test('two different schemas that would share one name stop the app from starting', () => {
  const a = gizmo('alpha', undefined, 'https://one.example/schemas/age.json')
  const b = gizmo('beta', undefined, 'https://two.example/schemas/age.json')
  assert.throws(() => createApp({ resources: [a, b], database: ':memory:', log: () => {} }), /\/schemas\/age\.json/)
})

test.run()
