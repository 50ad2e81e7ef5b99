import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createApp, defaultHooks, defineMachine, defineResource, type DecisionContext, type Hooks, type Representor, type ResourceSpec, type ResourceType } from '../../../src/index.ts'
import { bookmark, visit } from '../../../src/resources/index.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Each decision can be overridden per resource type; the override is the one used, and only for that type.
const test = suite('hooks per resource type')

const lampMachine = defineMachine({ name: 'lamp', initial: 'off', states: ['off', 'on'], actions: { toggle: { from: ['off', 'on'], to: 'on', roles: ['reader', 'admin'] } } })
const lamp = (name: string, hooks: Partial<Hooks>, more: Partial<ResourceSpec> = {}): ResourceType => defineResource({
  name, collection: `${name}s`, machine: { ...lampMachine, name }, hooks, ...more,
  schema: { $id: `https://example.org/schemas/${name}.json`, type: 'object', properties: { label: { type: 'string' }, hidden: { type: 'boolean' } }, additionalProperties: false },
  policy: { view: ['reader', 'admin'], create: ['reader', 'admin'] },
})
const plainText: Representor = { mediaType: 'text/plain', code: 't', render: (view) => `${view.kind} ${view.url}\n` }
const logged: unknown[] = []
const boom = (): never => { throw new Error('hook exploded') }
const seen: DecisionContext[] = []

const types = [
  lamp('closed', { serviceAvailable: () => false }),
  lamp('secret', { resourceExists: (c) => defaultHooks.resourceExists(c) && c.row?.data.hidden !== true }),
  lamp('jsononly', { contentTypesProvided: () => ['application/json'] }),
  lamp('locked', { authorized: () => false }),
  lamp('strict', { knownMethods: () => ['GET', 'HEAD', 'POST', 'OPTIONS'], validContentHeaders: (c) => (c.header('Content-Language') === '' ? undefined : 'No Content-Language, please.'), forbidden: (c) => (c.query.as === 'guest' ? 'Guests may only look.' : false), malformed: (c) => (c.query.bad === undefined ? undefined : 'No "bad" here.') }),
  lamp('tagged', { etag: (x) => (x.row === undefined ? undefined : `"lamp-${x.row.version}"`), lastModified: () => Date.UTC(2020, 0, 1) }),
  lamp('broken', { resourceExists: boom }),
  lamp('brokentag', { etag: boom }),
  lamp('brokenapply', {}, { apply: boom }),
  lamp('badtag', { etag: () => '"bad\nvalue"' }),
  lamp('peek', { forbidden: (c) => { seen.push(c); return defaultHooks.forbidden(c) } }),
  lamp('suffixed', { etag: (c) => defaultHooks.etag(c)?.replace(/"$/, '-s"'), contentTypesProvided: (c) => defaultHooks.contentTypesProvided(c).filter((t) => t !== 'text/plain') }),
  lamp('untagged', { etag: () => undefined }),
]
let server: TestServer
const as = 'north-reader'
const create = async (collection: string, data: Record<string, unknown> = {}): Promise<string> => {
  const r = await server.request('POST', `/${collection}`, { as, json: data })
  assert.is(r.status, 201, r.text)
  return r.headers.get('location') as string
}
test.before(async () => { server = await startServer({ resources: [bookmark, visit, ...types], representors: [plainText], log: (e) => logged.push(e) }) })
test.after(async () => { await server.close() })

test('serviceAvailable false: 503 for that type only', async () => {
  const r = await server.request('GET', '/closeds', { as })
  assert.is(r.status, 503)
  assert.ok(r.headers.get('retry-after'))
  assert.is((await server.request('GET', '/bookmarks', { as })).status, 200)
  assert.is((await server.request('GET', '/health')).status, 200)
})

test('resourceExists: a hidden item is 404, a visible one 200', async () => {
  const shown = await create('secrets', { label: 'a' })
  const hidden = await create('secrets', { label: 'b', hidden: true })
  assert.is((await server.request('GET', shown, { as })).status, 200)
  assert.is((await server.request('GET', hidden, { as })).status, 404)
  assert.is((await server.request('POST', `${hidden}/toggle`, { as })).status, 404)
})

test('contentTypesProvided: text/plain is 406 for that type, 200 elsewhere', async () => {
  const url = await create('jsononlys')
  const r = await server.request('GET', url, { as, headers: { accept: 'text/plain' } })
  assert.is(r.status, 406)
  assert.equal(r.json.available, ['application/json'])
  const other = await server.request('GET', await create('secrets'), { as, headers: { accept: 'text/plain' } })
  assert.is(other.status, 200)
  assert.match(other.text, /^resource \/secrets\//)
})

test('authorized false: 401 for that type even with a valid token', async () => {
  const r = await server.request('GET', '/lockeds', { as })
  assert.is(r.status, 401)
  assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer /)
  assert.is((await server.request('GET', '/secrets', { as })).status, 200)
})

test('knownMethods, validContentHeaders, forbidden, malformed', async () => {
  const french = await server.request('POST', '/stricts', { as, json: {}, headers: { 'content-language': 'fr' } })
  assert.is(french.status, 415)
  assert.is(french.json.detail, 'No Content-Language, please.')
  assert.is((await server.request('POST', '/secrets', { as, json: {}, headers: { 'content-language': 'fr' } })).status, 201)
  assert.is((await server.request('PATCH', '/stricts', { as })).status, 501)
  assert.is((await server.request('PATCH', '/bookmarks', { as })).status, 405)
  const guest = await server.request('GET', '/stricts?as=guest', { as })
  assert.is(guest.status, 403)
  assert.is(guest.json.detail, 'Guests may only look.')
  const bad = await server.request('GET', '/stricts?bad=1', { as })
  assert.is(bad.status, 400)
  assert.is(bad.json.detail, 'No "bad" here.')
  assert.is((await server.request('GET', '/stricts', { as })).status, 200)
})

test('etag and lastModified: the overridden validators are sent and compared', async () => {
  const url = await create('taggeds')
  const r = await server.request('GET', url, { as })
  assert.is(r.headers.get('etag'), '"lamp-1"')
  assert.is(r.headers.get('last-modified'), 'Wed, 01 Jan 2020 00:00:00 GMT')
  const again = await server.request('GET', url, { as, headers: { 'if-none-match': '"lamp-1"' } })
  assert.is(again.status, 304)
  assert.is(again.headers.get('etag'), '"lamp-1"')
  assert.is((await server.request('GET', url, { as, headers: { 'if-modified-since': 'Wed, 01 Jan 2020 00:00:00 GMT' } })).status, 304)
  const moved = await server.request('POST', `${url}/toggle`, { as })
  assert.is(moved.headers.get('etag'), '"lamp-2"')
})

for (const [name, path] of [['resourceExists', '/brokens'], ['etag', '/brokentags']] as const) {
  test(`a ${name} hook that throws: logged, and a 500 problem without a stack`, async () => {
    const before = logged.length
    const r = await server.request('GET', path, { as })
    assert.is(r.status, 500)
    assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/)
    assert.is(r.json.type, '/problems/internal-error')
    assert.not.match(r.text, /exploded/)
    assert.is(logged.length, before + 1)
    assert.is((logged[before] as Error).message, 'hook exploded')
  })
}

test('a reply that cannot be written: a clean 500, none of its fields left behind', async () => {
  const r = await server.request('POST', '/badtags', { as, json: {} })
  assert.is(r.status, 500)
  for (const h of ['vary', 'cache-control', 'link', 'location', 'etag']) assert.is(r.headers.get(h), null, h)
  assert.match(String(logged[logged.length - 1]), /Invalid character/)
})

test('a throw while writing a transition: 500, nothing changed, the store still works', async () => {
  const url = await create('brokenapplys')
  const r = await server.request('POST', `${url}/toggle`, { as })
  assert.is(r.status, 500)
  const after = await server.request('GET', url, { as })
  assert.is(after.json.data.state, 'off')
  assert.is((await server.request('POST', '/bookmarks', { as, json: { bookmark_url: 'https://example.org/ok', title: 'ok' } })).status, 201)
})

test('a hook sees read-only facts: neither Koa\'s context, nor the app, nor the graph\'s memos', async () => {
  const url = await create('peeks', { label: 'p' })
  const c = seen[seen.length - 1] as DecisionContext
  assert.equal(c.route, { kind: 'collection', type: 'peek' })
  assert.is(c.method, 'POST')
  assert.is(c.path, '/peeks')
  assert.is(c.principal?.id, 'north-reader')
  assert.equal(c.input, { label: 'p' })
  assert.is(c.header('Content-Type'), 'application/json')
  for (const hidden of ['ctx', 'app', 'hooks', 'chosen', 'representor', 'page', 'view', 'raw', 'trace']) assert.not.ok(hidden in c, hidden)
  assert.throws(() => { (c as { principal: unknown }).principal = undefined }, TypeError)
  assert.throws(() => { (c.route as { kind: string }).kind = 'item' }, TypeError)
  assert.is(c.principal?.id, 'north-reader')
  await server.request('POST', `${url}/toggle`, { as })
  const onAction = seen[seen.length - 1] as DecisionContext
  assert.equal(onAction.route, { kind: 'action', type: 'peek', id: url.split('/').pop(), action: 'toggle' })
})

test('defaultHooks answer for the route the hook is asked on, so a type can build on them', async () => {
  const created = await server.request('POST', '/suffixeds', { as, json: {} })
  assert.match(created.headers.get('etag') ?? '', /-s"$/)
  const url = created.headers.get('location') as string
  const r = await server.request('GET', url, { as })
  assert.match(r.headers.get('etag') ?? '', /^"1-j[0-9a-z]+-s"$/)
  assert.is((await server.request('GET', url, { as, headers: { 'if-none-match': r.headers.get('etag') as string } })).status, 304)
  const moved = await server.request('POST', `${url}/toggle`, { as })
  assert.is(moved.status, 200)
  assert.match(moved.headers.get('etag') ?? '', /^"2-.*-s"$/)
  assert.is((await server.request('GET', url, { as, headers: { accept: 'text/plain' } })).status, 406)
  assert.throws(() => defaultHooks.etag({} as DecisionContext), /context a hook was given/)
})

test('an etag hook that answers none: no ETag is sent, on a read or on a write', async () => {
  const created = await server.request('POST', '/untaggeds', { as, json: {} })
  assert.is(created.status, 201)
  assert.is(created.headers.get('etag'), null)
  const r = await server.request('GET', created.headers.get('location') as string, { as })
  assert.is(r.status, 200)
  assert.is(r.headers.get('etag'), null)
  assert.ok(r.headers.get('last-modified'))
})

test('two representors with one ETag code stop createApp', () => {
  const clash: Representor = { ...plainText, mediaType: 'text/x-other', code: 'j' }
  assert.throws(() => createApp({ resources: [bookmark], database: ':memory:', representors: [clash] }), /share the ETag code "j"/)
})

test.run()
