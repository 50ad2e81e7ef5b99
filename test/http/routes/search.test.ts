import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Filters on a collection: the state and the declared fields, paged, with cursors bound to the filters.
const test = suite('collection search')
let server: TestServer
const dispatcher = { as: 'north-dispatcher' }
const visits: { url: string; patient: string; status: string; clinician: string | undefined; at: string }[] = []
const times = ['2026-12-01T09:00:00Z', '2026-12-01T11:30:00+01:00', '2026-12-02T08:00:00Z', '2026-12-01T23:00:00-02:00']

test.before(async () => {
  server = await startServer()
  for (let i = 0; i < 12; i++) {
    const at = times[i % times.length] as string
    const r = await server.request('POST', '/visits', { ...dispatcher, json: { patient: `P${i % 3}`, address: 'A', scheduled_for: at } })
    assert.is(r.status, 201)
    const url = r.headers.get('location') as string
    let status = 'scheduled'
    let clinician: string | undefined
    if (i % 3 !== 0) {
      clinician = i % 2 === 0 ? 'north-clinician-1' : 'north-clinician-2'
      const a = await server.request('POST', `${url}/assign`, { ...dispatcher, headers: { 'If-Match': r.headers.get('etag') as string }, json: { clinician_id: clinician } })
      assert.is(a.status, 200, a.text)
      status = 'assigned'
    }
    visits.push({ url, patient: `P${i % 3}`, status, clinician, at })
  }
  await server.request('POST', '/visits', { as: 'south-dispatcher', json: { patient: 'P0', address: 'A', scheduled_for: times[0] } })
})
test.after(async () => { await server.close() })

/** Every item URL of a search, following next links with a small page. */
async function all(query: string, as = 'north-dispatcher'): Promise<string[]> {
  const urls: string[] = []
  let next: string | undefined = `/visits?${query}${query === '' ? '' : '&'}limit=2`
  while (next !== undefined) {
    const r = await server.request('GET', next, { as })
    assert.is(r.status, 200, `${next}: ${r.text.slice(0, 200)}`)
    urls.push(...(r.json.items as { url: string }[]).map((i) => i.url))
    next = r.json.next_url
  }
  return urls
}
const urlsOf = (pick: (v: (typeof visits)[number]) => boolean): string[] => visits.filter(pick).map((v) => v.url)
const instant = (t: string): number => Date.parse(t)

test('the state, with several values', async () => {
  assert.equal(await all('status=assigned'), urlsOf((v) => v.status === 'assigned'))
  assert.equal(await all('status=assigned&status=scheduled'), urlsOf(() => true))
  assert.equal(await all('status=completed'), [])
})

test('equality on a declared field, and filters together', async () => {
  assert.equal(await all('clinician_id=north-clinician-1'), urlsOf((v) => v.clinician === 'north-clinician-1'))
  assert.equal(await all('clinician_id=north-clinician-2&patient=P1'), urlsOf((v) => v.clinician === 'north-clinician-2' && v.patient === 'P1'))
})

test('a date-time range compares instants, whatever the offsets', async () => {
  const from = '2026-12-01T09:00:00Z'
  const to = '2026-12-02T00:00:00Z'
  assert.equal(await all(`scheduled_for_after=${encodeURIComponent('2026-12-01T08:59:59Z')}&scheduled_for_before=${encodeURIComponent(to)}`), urlsOf((v) => instant(v.at) >= instant(from) && instant(v.at) < instant(to)))
  // 23:00-02:00 is 01:00 on the 2nd: after midnight UTC.
  assert.equal(await all(`scheduled_for_after=${encodeURIComponent('2026-12-02T00:30:00+00:00')}`), urlsOf((v) => instant(v.at) > instant('2026-12-02T00:30:00Z')))
})

test('an empty value asks for nothing, as a GET form sends it', async () => {
  assert.equal(await all('status=&clinician_id=&scheduled_for_after=&patient=P2'), urlsOf((v) => v.patient === 'P2'))
})

test('results keep the tenant', async () => {
  assert.equal((await all('patient=P0', 'south-dispatcher')).length, 1)
})

test('a bad value or name is 400, naming what is allowed', async () => {
  const cases: [string, string][] = [
    ['status=lost', 'one of scheduled, assigned, en_route, on_site, completed, cancelled, missed'],
    ['scheduled_for_after=tomorrow', 'a date-time with an offset'],
    ['scheduled_for_after=2026-12-01T09:00:00', 'a date-time with an offset'],
    ['scheduled_for_before=2026-12-01T09:00:00Z&scheduled_for_before=2026-12-02T09:00:00Z', 'once'],
    [`clinician_id=${'c'.repeat(201)}`, 'at most 200 characters'],
    ['order=patient', 'status, clinician_id, patient, scheduled_for_after, scheduled_for_before, sort, limit, after'],
    ['sort=patient', '"sort" must be one of scheduled_for, -scheduled_for'],
    ['sort=scheduled_for&sort=-scheduled_for', 'given once'],
    [`status=${'x'.repeat(5000)}`, '…'],
  ]
  for (const [query, says] of cases) {
    const r = await server.request('GET', `/visits?${query}`, dispatcher)
    assert.is(r.status, 400, query)
    assert.is(r.headers.get('content-type'), 'application/problem+json')
    assert.match(r.json.detail, says, query)
    assert.ok((r.json.detail as string).length < 400, query)
  }
})

test('a sort on a required date-time, either way, ties broken by creation, paged with filters', async () => {
  const byTime = (a: (typeof visits)[number], b: (typeof visits)[number]): number => instant(a.at) - instant(b.at) || visits.indexOf(a) - visits.indexOf(b)
  const ascending = [...visits].sort(byTime)
  assert.equal(await all('sort=scheduled_for'), ascending.map((v) => v.url))
  assert.equal(await all('sort=-scheduled_for'), [...ascending].reverse().map((v) => v.url))
  assert.equal(await all('status=assigned&sort=-scheduled_for'), [...ascending].reverse().filter((v) => v.status === 'assigned').map((v) => v.url))
  // A cursor of the sorted search opens only the sorted search.
  const first = await server.request('GET', '/visits?sort=scheduled_for&limit=2', dispatcher)
  assert.match(first.json.next_url, /^\/visits\?sort=scheduled_for&after=/)
  const cursor = new URL(first.json.next_url as string, server.url).searchParams.get('after') as string
  assert.is((await server.request('GET', `/visits?sort=-scheduled_for&after=${cursor}`, dispatcher)).status, 400)
})

test('a cursor opens only the search it was made for', async () => {
  const first = await server.request('GET', '/visits?status=assigned&limit=2', dispatcher)
  const next = first.json.next_url as string
  assert.match(next, /^\/visits\?status=assigned&after=[A-Za-z0-9_-]+&limit=2$/)
  const cursor = new URL(next, server.url).searchParams.get('after') as string
  assert.is((await server.request('GET', next, dispatcher)).status, 200)
  for (const other of ['', 'status=scheduled&', 'status=assigned&status=scheduled&', 'status=assigned&patient=P1&']) {
    const r = await server.request('GET', `/visits?${other}after=${cursor}`, dispatcher)
    assert.is(r.status, 400, other)
    assert.match(r.json.detail, 'same filters')
  }
  // The same filters, spelled in another order, are the same search.
  const twice = await server.request('GET', '/visits?status=scheduled&status=assigned&limit=2', dispatcher)
  const c = new URL(twice.json.next_url as string, server.url).searchParams.get('after') as string
  assert.is((await server.request('GET', `/visits?status=assigned&status=scheduled&after=${c}`, dispatcher)).status, 200)
})

test('the search is advertised in every format and in a Link-Template field', async () => {
  const template = '/visits{?status*,clinician_id*,patient*,scheduled_for_after,scheduled_for_before,sort,limit}'
  const json = await server.request('GET', '/visits', dispatcher)
  assert.is(json.json.search_url, template)
  assert.is(json.headers.get('link-template'), `"${template}"; rel="search"`)
  const hal = (await server.request('GET', '/visits', { ...dispatcher, headers: { accept: 'application/hal+json' } })).json._templates.search
  assert.is(hal.method, 'GET')
  assert.is(hal.target, '/visits')
  assert.equal(hal.properties.map((p: { name: string }) => p.name), ['status', 'clinician_id', 'patient', 'scheduled_for_after', 'scheduled_for_before', 'sort'])
  assert.equal(hal.properties[0].options.inline, ['scheduled', 'assigned', 'en_route', 'on_site', 'completed', 'cancelled', 'missed'])
  const siren = (await server.request('GET', '/visits', { ...dispatcher, headers: { accept: 'application/vnd.siren+json' } })).json.actions.find((a: { name: string }) => a.name === 'search')
  assert.is(siren.method, 'GET')
  assert.is(siren.href, `${server.url}/visits`)
  assert.equal(siren.fields.map((f: { name: string }) => f.name), ['status', 'clinician_id', 'patient', 'scheduled_for_after', 'scheduled_for_before', 'sort'])
  const html = (await server.request('GET', '/visits?status=assigned', { ...dispatcher, headers: { accept: 'text/html' } })).text
  assert.match(html, /<form class="search" method="get" action="\/visits"/)
  assert.match(html, /value="assigned" checked>/)
  // A caller who may not list the collection is shown no search at all.
  const reader = await server.request('GET', '/visits', { as: 'north-reader' })
  assert.is(reader.status, 403)
  assert.is(reader.headers.get('link-template'), null)
})

test.run()
