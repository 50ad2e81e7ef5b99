import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { defineMachine, defineResource } from '../../../src/index.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Fields whose values come from a list per caller: every format offers the list, and the
// server admits exactly its values (links never lie, down to the values of a field).
const test = suite('field options')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const dispatcher = 'north-dispatcher'
async function scheduled(as = dispatcher): Promise<{ url: string; etag: string }> {
  const r = await server.request('POST', '/visits', { as, json: { patient: 'P', address: 'A', scheduled_for: '2026-12-01T09:00:00Z' } })
  return { url: r.headers.get('location') as string, etag: r.headers.get('etag') as string }
}
const assign = (v: { url: string; etag: string }, clinician: unknown, as = dispatcher) =>
  server.request('POST', `${v.url}/assign`, { as, json: { clinician_id: clinician }, headers: { 'if-match': v.etag } })

for (const [who, why] of [['nobody-at-all', 'not a clinician anywhere'], ['south-clinician-1', "another tenant's clinician"], ['north-dispatcher', 'not a clinician']] as const) {
  test(`assign refuses ${who} (${why}) with a 422 naming the field, and changes nothing`, async () => {
    const v = await scheduled()
    const r = await assign(v, who)
    assert.is(r.status, 422)
    assert.equal(r.json.issues, [{ path: '/clinician_id', keyword: 'enum', message: 'must be one of the values offered to you: north-clinician-1, north-clinician-2' }])
    assert.match(r.json.detail, /clinician_id/)
    assert.is((await server.request('GET', v.url, { as: dispatcher })).json.data.status, 'scheduled')
  })
}
test('assign admits a clinician of the tenant, who can then depart', async () => {
  const v = await scheduled()
  const r = await assign(v, 'north-clinician-2')
  assert.is(r.status, 200)
  const mine = await server.request('GET', v.url, { as: 'north-clinician-2' })
  assert.ok(mine.json.depart_url)
})
test('a south dispatcher is offered, and may assign, south clinicians only', async () => {
  const v = await scheduled('south-dispatcher')
  assert.is((await assign(v, 'north-clinician-1', 'south-dispatcher')).status, 422)
  assert.is((await assign(v, 'south-clinician-1', 'south-dispatcher')).status, 200)
})

const offeredIn = {
  'application/prs.hal-forms+json': (body: string) => (JSON.parse(body)._templates.assign.properties as { name: string; options?: { inline: unknown[] } }[]).find((p) => p.name === 'clinician_id')?.options?.inline,
  'application/vnd.siren+json': (body: string) => (JSON.parse(body).actions as { name: string; fields: { name: string; value?: unknown }[] }[]).find((a) => a.name === 'assign')?.fields.find((f) => f.name === 'clinician_id')?.value,
  'text/html': (body: string) => /<select id="form-assign-clinician_id" name="clinician_id" required>(.*?)<\/select>/s.exec(body)?.[1],
}
const expected = {
  'application/prs.hal-forms+json': [{ prompt: 'Clinician 1 (north)', value: 'north-clinician-1' }, { prompt: 'Clinician 2 (north)', value: 'north-clinician-2' }],
  'application/vnd.siren+json': [{ value: 'north-clinician-1', title: 'Clinician 1 (north)' }, { value: 'north-clinician-2', title: 'Clinician 2 (north)' }],
  'text/html': '<option value="north-clinician-1">Clinician 1 (north)</option><option value="north-clinician-2">Clinician 2 (north)</option>',
}
for (const type of Object.keys(offeredIn) as (keyof typeof offeredIn)[]) {
  test(`${type} offers the tenant's clinicians for assign, with their names`, async () => {
    const v = await scheduled()
    const r = await server.request('GET', v.url, { as: dispatcher, headers: { accept: type } })
    assert.is(r.status, 200)
    assert.equal(offeredIn[type](r.text), expected[type])
    if (type === 'text/html') return // the HTML list links to its items instead of embedding their forms
    const list = await server.request('GET', '/visits', { as: dispatcher, headers: { accept: type } })
    assert.ok(list.text.includes('north-clinician-2') && !list.text.includes('south-clinician-1'), 'the list offers the same choices')
  })
}

test('options may only name an action that takes input, and one of its fields', () => {
  const machine = defineMachine({ name: 'm', initial: 'a', states: ['a', 'b'], terminal: ['b'], actions: { go: { from: 'a', to: 'b' } } })
  const base = { name: 'm', collection: 'ms', schema: { $id: 'https://example.org/m.json', type: 'object', properties: { x: { type: 'string' } } }, machine, policy: { view: ['r'], create: ['r'] } }
  assert.throws(() => defineResource({ ...base, options: { go: { x: () => [] } } }), /action "go", which takes no input/)
  assert.throws(() => defineResource({ ...base, options: { create: { y: () => [] } } }), /field "y"/)
  assert.not.throws(() => defineResource({ ...base, options: { create: { x: () => [{ value: 'one' }] } } }))
})

test.run()
