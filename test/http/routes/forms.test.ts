import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../../helpers/server.ts'

// HTML form posts: See Other after success, problem pages for browsers, the hidden If-Match.
const test = suite('form posts')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString()
const post = (path: string, fields: Record<string, string>, as: string, accept = BROWSER) =>
  server.request('POST', path, { as, body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', accept } })
const json = (path: string, as: string) => server.request('GET', path, { as, headers: { accept: 'application/json' } })

async function newBookmark(): Promise<string> {
  const r = await post('/bookmarks', { bookmark_url: 'https://example.org/a', title: 'A', note: '' }, 'north-reader')
  assert.is(r.status, 303, r.text)
  return r.headers.get('location') as string
}

test('an HTML collection page links its next page, and the link works', async () => {
  await newBookmark()
  await newBookmark()
  const first = await server.request('GET', '/bookmarks?limit=1', { as: 'north-reader', headers: { accept: BROWSER } })
  assert.match(first.headers.get('content-type') ?? '', /^text\/html/)
  const next = /<a href="([^"]+)" rel="next">/.exec(first.text)?.[1]?.replaceAll('&amp;', '&')
  assert.match(next ?? '', /^\/bookmarks\?after=[A-Za-z0-9_-]{48}&limit=1$/)
  const second = await server.request('GET', next ?? '', { as: 'north-reader', headers: { accept: BROWSER } })
  assert.is(second.status, 200)
  const item = (page: string): string | undefined => /<a href="([^"]+)" rel="item">/.exec(page)?.[1]
  assert.ok(item(second.text) !== undefined && item(second.text) !== item(first.text), 'the next page shows another item')
})

test('HTML is served only when asked for: */* still gets JSON', async () => {
  const any = await server.request('GET', '/bookmarks', { as: 'north-reader', headers: { accept: '*/*' } })
  assert.match(any.headers.get('content-type') ?? '', /^application\/json/)
  const page = await server.request('GET', '/bookmarks', { as: 'north-reader', headers: { accept: BROWSER } })
  assert.is(page.headers.get('content-type'), 'text/html; charset=utf-8')
  assert.match(page.headers.get('vary') ?? '', /Accept/)
})

test('a browser form create answers 303 See Other to the new resource', async () => {
  const url = await newBookmark()
  assert.match(url, /^\/bookmarks\/[0-9a-f-]{36}$/)
  const got = await json(url, 'north-reader')
  assert.is(got.json.data.read_status, 'queued')
  assert.is(got.json.data.note, undefined, 'an empty field is left out')
})

test('a form create from a client that prefers JSON gets 201 and the representation', async () => {
  const r = await post('/bookmarks', { bookmark_url: 'https://example.org/b', title: 'B' }, 'north-reader', 'application/json')
  assert.is(r.status, 201)
  assert.is(r.json.data.title, 'B')
})

test('a form transition with a fresh _if_match answers 303 and moves the state', async () => {
  const url = await newBookmark()
  const r = await post(`${url}/read`, { _if_match: '"1"' }, 'north-reader')
  assert.is(r.status, 303, r.text)
  assert.is(r.headers.get('location'), url)
  assert.is(r.text, '')
  assert.is((await json(url, 'north-reader')).json.data.read_status, 'read')
})

test('the hidden _if_match of a resource page carries that page\'s ETag, and posting it back works', async () => {
  const url = await newBookmark()
  const page = await server.request('GET', url, { as: 'north-reader', headers: { accept: BROWSER } })
  const etag = page.headers.get('etag') ?? ''
  const hidden = /name="_if_match" value="([^"]*)"/.exec(page.text)?.[1]?.replaceAll('&quot;', '"')
  assert.match(etag, /^"1-/)
  assert.is(hidden, etag)
  assert.is((await post(`${url}/read`, { _if_match: hidden ?? '' }, 'north-reader')).status, 303)
})

test('a stale form gets a 412 page linking back to the resource, and changes nothing', async () => {
  const url = await newBookmark()
  assert.is((await post(`${url}/archive`, { _if_match: '"1"' }, 'north-reader')).status, 303)
  const r = await post(`${url}/queue`, { _if_match: '"1"' }, 'north-reader')
  assert.is(r.status, 412)
  assert.match(r.headers.get('content-type') ?? '', /^text\/html/)
  assert.match(r.text, /412 Precondition Failed/)
  assert.match(r.text, new RegExp(`href="${url}" rel="up"`))
  assert.match(r.text, /data-member="current_state">archived</)
  assert.is((await json(url, 'north-reader')).json.data.read_status, 'archived')
})

test('an illegal action from a browser gets a 409 page with the state and the allowed actions', async () => {
  const url = await newBookmark()
  const r = await post(`${url}/reread`, { _if_match: '"1"' }, 'north-reader')
  assert.is(r.status, 409)
  assert.match(r.text, /409 Illegal Transition/)
  assert.match(r.text, /data-member="current_state">queued</)
  assert.match(r.text, /data-member="allowed_actions"><ul><li>read<\/li><li>archive<\/li><\/ul>/)
  assert.match(r.text, new RegExp(`href="${url}" rel="up"`))
})

test('the same refusal asked for as JSON is still a problem document', async () => {
  const url = await newBookmark()
  const r = await server.request('POST', `${url}/reread`, { as: 'north-reader', json: {}, headers: { accept: 'application/json' } })
  assert.is(r.status, 409)
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/)
  assert.is(r.json.current_state, 'queued')
})

test('a form field that fails its schema gets a 422 page naming the field', async () => {
  const r = await post('/bookmarks', { bookmark_url: 'not a url', title: 'C' }, 'north-reader')
  assert.is(r.status, 422)
  assert.match(r.text, /422 Validation Failed/)
  assert.match(r.text, /\/bookmark_url/)
})

test('datetime-local values are read as UTC, and lat/lon arrive as numbers', async () => {
  const created = await post('/visits', { patient: 'Ada', address: '1 Road', scheduled_for: '2026-12-01T09:00' }, 'north-dispatcher')
  assert.is(created.status, 303, created.text)
  const url = created.headers.get('location') as string
  assert.is((await json(url, 'north-dispatcher')).json.data.scheduled_for, '2026-12-01T09:00:00Z')
  assert.is((await post(`${url}/assign`, { _if_match: '"1"', clinician_id: 'north-clinician-1' }, 'north-dispatcher')).status, 303)
  assert.is((await post(`${url}/depart`, { _if_match: '"2"' }, 'north-clinician-1')).status, 303)
  const checkIn = await post(`${url}/check-in`, { _if_match: '"3"', lat: '51.5', lon: '-0.12' }, 'north-clinician-1')
  assert.is(checkIn.status, 303, checkIn.text)
  const data = (await json(url, 'north-clinician-1')).json.data
  assert.is(data.status, 'on_site')
  assert.is(data.lat, 51.5)
  assert.is(data.lon, -0.12)
})

test('a transition form without _if_match on a type that requires preconditions gets the 428 page', async () => {
  const created = await post('/visits', { patient: 'Ada', address: '1 Road', scheduled_for: '2026-12-01T09:00:00Z' }, 'north-dispatcher')
  const r = await post(`${created.headers.get('location') as string}/cancel`, { reason: 'moved' }, 'north-dispatcher')
  assert.is(r.status, 428)
  assert.match(r.text, /428 Precondition Required/)
})
test.run()
