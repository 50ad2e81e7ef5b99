import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { defineMachine, defineResource } from '../../../src/index.ts'
import { bookmark } from '../../../src/resources/index.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// A type with one field of every JSON Schema type, created from the explorer's own form as a
// browser fills it in: what the form shows is what the server reads back.
const test = suite('form fields of every type')

const schema = {
  $id: 'https://example.org/schemas/gadget.json',
  type: 'object',
  properties: {
    text: { type: 'string', minLength: 1, pattern: '^[a-z]+$' },
    ratio: { type: 'number' },
    count: { type: 'integer' },
    done: { type: 'boolean' },
    colour: { enum: ['red', 'green'] },
    size: { enum: [1, 2, 3] },
    when: { type: 'string', format: 'date-time' },
    day: { type: 'string', format: 'date' },
    site: { type: 'string', format: 'uri' },
    mail: { type: 'string', format: 'email' },
    tags: { type: 'array', items: { type: 'string' } },
    extra: { type: 'object' },
  },
  required: ['text', 'done', 'colour', 'when'],
  additionalProperties: false,
}

const gadget = defineResource({
  name: 'gadget',
  collection: 'gadgets',
  schema,
  machine: defineMachine({ name: 'gadget', initial: 'new', states: ['new', 'old'], terminal: ['old'], actions: { age: { from: 'new', to: 'old', roles: ['reader'] } } }),
  policy: { view: ['reader'], create: ['reader'] },
})

let server: TestServer
test.before(async () => { server = await startServer({ resources: [bookmark, gadget] }) })
test.after(async () => { await server.close() })

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const as = 'north-reader'

/** The controls of the create form: name and kind (`checkbox`, `select`, `textarea` or an input type). */
async function createForm(): Promise<Map<string, string>> {
  const page = (await server.request('GET', '/gadgets', { as, headers: { accept: BROWSER } })).text
  const form = /<form[^>]*data-action="create"[\s\S]*?<\/form>/.exec(page)?.[0] ?? ''
  const controls = new Map<string, string>()
  for (const m of form.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(m[2] ?? '')?.[1] ?? ''
    controls.set(name, m[1] === 'input' ? /type="([^"]*)"/.exec(m[2] ?? '')?.[1] ?? 'text' : (m[1] ?? ''))
  }
  return controls
}

const filled: Record<string, string> = {
  text: 'abc', ratio: '0.5', count: '3', done: 'true', colour: 'green', size: '2', when: '2026-12-01T09:30:00',
  day: '2026-12-01', site: 'https://example.org/', mail: 'a@example.org', tags: '["a","b"]', extra: '{"k":1}',
}

/** Posts the create form as a browser does: every control's value, none for an unticked box. */
async function submit(values: Record<string, string>, ticked = true) {
  const controls = await createForm()
  assert.equal([...controls.keys()], Object.keys(schema.properties))
  const sent = [...controls].filter(([, kind]) => kind !== 'checkbox' || ticked).map(([name]) => [name, values[name] ?? ''])
  return server.request('POST', '/gadgets', { as, body: new URLSearchParams(sent).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: BROWSER } })
}

const dataAt = async (url: string): Promise<Record<string, unknown>> => (await server.request('GET', url, { as, headers: { accept: 'application/json' } })).json.data

test('the form has the control each type needs', async () => {
  const controls = Object.fromEntries(await createForm())
  assert.equal(controls, {
    text: 'text', ratio: 'number', count: 'number', done: 'checkbox', colour: 'select', size: 'select', when: 'datetime-local',
    day: 'date', site: 'url', mail: 'email', tags: 'textarea', extra: 'textarea',
  })
})

test('a filled-in form creates the resource with every value of its own type', async () => {
  const r = await submit(filled)
  assert.is(r.status, 303, r.text)
  assert.equal(await dataAt(r.headers.get('location') ?? ''), {
    text: 'abc', ratio: 0.5, count: 3, done: true, colour: 'green', size: 2, when: '2026-12-01T09:30:00Z',
    day: '2026-12-01', site: 'https://example.org/', mail: 'a@example.org', tags: ['a', 'b'], extra: { k: 1 }, state: 'new',
  })
})

test('an unticked box is false, and empty optional fields are left out', async () => {
  const r = await submit({ text: 'abc', colour: 'red', when: '2026-12-01T09:30' }, false)
  assert.is(r.status, 303, r.text)
  assert.equal(await dataAt(r.headers.get('location') ?? ''), { text: 'abc', done: false, colour: 'red', when: '2026-12-01T09:30:00Z', state: 'new' })
})

test('a value that is not of its field\'s type is a 422 naming the field', async () => {
  for (const [field, value] of [['tags', '[not json'], ['done', 'yes'], ['count', 'three'], ['size', '4'], ['extra', '[1]']] as const) {
    const r = await submit({ ...filled, [field]: value })
    assert.is(r.status, 422, `${field}=${value}`)
    assert.match(r.text, new RegExp(`/${field}`), field)
  }
})

test('a JSON body is read as sent: a missing boolean is missing, not false', async () => {
  const r = await server.request('POST', '/gadgets', { as, json: { text: 'abc', colour: 'red', when: '2026-12-01T09:30:00Z' } })
  assert.is(r.status, 422)
  assert.equal(r.json.issues, [{ path: '/done', keyword: 'required', message: 'is required' }])
})

test.run()
