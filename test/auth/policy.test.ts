import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createApp, defineMachine, defineResource, type ResourceSpec } from '../../src/index.ts'
import { bookmark, visit } from '../../src/resources/index.ts'
import { canCreate, canSee, canView, everyViewerMay, ownerScope } from '../../src/auth/policy.ts'
import { inputFor, resourceIn } from '../helpers/machines.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const test = suite('policy')

const schema = { $id: 'https://example.org/schemas/note.json', type: 'object', properties: { text: { type: 'string' } }, additionalProperties: false }
const input = { $id: 'https://example.org/schemas/note-edit.json', type: 'object', properties: { text: { type: 'string' } }, additionalProperties: false }
const machineWith = (roles: readonly string[] | undefined) => defineMachine({
  name: 'note',
  initial: 'draft',
  states: ['draft', 'published'],
  terminal: ['published'],
  actions: { publish: { from: 'draft', to: 'published', input: input.$id, ...(roles !== undefined && { roles }) } },
})
const spec = (over: Partial<ResourceSpec> = {}): ResourceSpec => ({
  name: 'note', collection: 'notes', schema, inputs: [input], machine: machineWith(['editor']), policy: { view: ['editor'], create: ['editor'] }, ...over,
})
const start = (s: ResourceSpec): void => {
  createApp({ resources: [defineResource(s)], database: ':memory:', log: () => {} }).close()
}

test('a complete policy starts', () => {
  start(spec())
})

for (const [label, over, why] of [
  ['an action without roles', { machine: machineWith(undefined) }, /action "publish" has no roles/],
  ['an action with an empty role list', { machine: machineWith([]) }, /action "publish" has no roles/],
  ['a second transition without roles', { machine: defineMachine({ name: 'note', initial: 'draft', states: ['draft', 'review', 'published'], terminal: ['published'], actions: { submit: { from: 'draft', to: 'review', roles: ['editor'] }, publish: [{ from: 'draft', to: 'published', input: input.$id, roles: ['editor'] }, { from: 'review', to: 'published', input: input.$id }] } }) }, /action "publish" has no roles from state "review"/],
  ['a type without a policy', { policy: undefined as unknown as ResourceSpec['policy'] }, /has no policy/],
  ['a type nobody may view', { policy: { view: [], create: ['editor'] } }, /no role may view it/],
  ['a type without create roles', { policy: { view: ['editor'] } as unknown as ResourceSpec['policy'] }, /policy\.create/],
  ['an open create schema', { schema: { ...schema, additionalProperties: true } }, /must be closed/],
  ['a create schema naming "owner"', { schema: { ...schema, properties: { text: { type: 'string' }, owner: { type: 'string' } } } }, /"owner"/],
  ['an input schema naming "tenant"', { inputs: [{ ...input, properties: { tenant: { type: 'string' } } }] }, /"tenant"/],
  ['an open input schema', { inputs: [{ ...input, additionalProperties: true }] }, /publish.*must be closed/],
] as const) {
  test(`deny by default: ${label} fails at start-up`, () => {
    assert.throws(() => start(spec(over as Partial<ResourceSpec>)), why)
  })
}

// Mass assignment over HTTP: server-owned fields are refused on create and on transitions.
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const FIELDS = ['state', 'version', 'tenant', 'id', 'owner'] as const
const VALUES: Readonly<Record<(typeof FIELDS)[number], unknown>> = { state: 'completed', version: 99, tenant: 'south', id: 'mine', owner: 'north-admin' }

for (const type of [bookmark, visit]) {
  const user = type === visit ? 'north-dispatcher' : 'north-reader'
  for (const field of [...FIELDS, type.stateField]) {
    test(`${type.name} create with "${field}" → 422, nothing stored`, async () => {
      const before = (await server.request('GET', `/${type.collection}?limit=100`, { as: 'north-admin' })).json.items.length
      const r = await server.request('POST', `/${type.collection}`, { as: user, json: { ...inputFor(type, 'create'), [field]: VALUES[field as keyof typeof VALUES] ?? 'x' } })
      assert.is(r.status, 422)
      assert.ok(r.json.issues.some((i: { path: string }) => i.path === `/${field}`))
      const after = (await server.request('GET', `/${type.collection}?limit=100`, { as: 'north-admin' })).json.items.length
      assert.is(after, before)
    })
  }
  const action = type.machine.actions[0]
  if (action === undefined) continue
  for (const field of [...FIELDS, type.stateField]) {
    test(`${type.name} ${action.name} with "${field}" → 422, nothing changed`, async () => {
      const { url, etag } = await resourceIn(server, type, type.machine.initial, 'north-admin')
      const before = await server.request('GET', `${url}/history`, { as: 'north-admin' })
      const body = { ...inputFor(type, action.name), [field]: VALUES[field as keyof typeof VALUES] ?? 'x' }
      const r = await server.request('POST', `${url}/${action.name}`, { as: 'north-admin', json: body, headers: { 'if-match': etag } })
      assert.is(r.status, 422)
      const after = await server.request('GET', `${url}/history`, { as: 'north-admin' })
      assert.equal(after.json.items, before.json.items)
      const now = await server.request('GET', url, { as: 'north-admin' })
      assert.is(now.headers.get('etag'), etag)
    })
  }
}

// The policy checks live in one module; each case is one caller against an owner-only type.
test('canView, canCreate, ownerScope and canSee agree with the policy, case by case', () => {
  const owned = defineResource(spec({ policy: { view: ['editor', 'auditor'], create: ['editor'], ownerOnly: { except: ['auditor'] } } }))
  const who = (id: string, roles: string[], tenant = 't') => ({ id, name: id, tenant, roles })
  const row = { tenant: 't', owner: 'ann' }
  const cases = [
    { p: who('ann', ['editor']), view: true, create: true, scope: 'ann', sees: true },
    { p: who('bob', ['editor']), view: true, create: true, scope: 'bob', sees: false },
    { p: who('eve', ['auditor']), view: true, create: false, scope: undefined, sees: true },
    { p: who('eve', ['auditor'], 'u'), view: true, create: false, scope: undefined, sees: false },
    { p: who('joe', ['stranger']), view: false, create: false, scope: 'joe', sees: false },
  ]
  for (const c of cases) {
    const name = `${c.p.id} ${c.p.roles.join(',')} ${c.p.tenant}`
    assert.is(canView(owned, c.p), c.view, name)
    assert.is(canCreate(owned, c.p), c.create, name)
    assert.is(ownerScope(owned, c.p), c.scope, name)
    assert.is(canSee(owned, c.p, row), c.sees, name)
  }
  assert.is(canView(owned, undefined), false)
  assert.is(canCreate(owned, undefined), false)
})

// The contracts ask it which actions every caller who may view a type may take.
test('everyViewerMay: an action every viewing role may take, or open to all', () => {
  const type = defineResource(spec({ policy: { view: ['editor', 'auditor'], create: ['editor'] } }))
  const action = (roles: string[]) => ({ roles }) as unknown as Parameters<typeof everyViewerMay>[1]
  assert.is(everyViewerMay(type, action(['editor', 'auditor'])), true)
  assert.is(everyViewerMay(type, action(['editor', 'auditor', 'admin'])), true)
  assert.is(everyViewerMay(type, action(['*'])), true)
  assert.is(everyViewerMay(type, action(['editor'])), false)
  assert.is(everyViewerMay(type, action([])), false)
})

test.run()
