import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../helpers/server.ts'

// What a careless or hostile client sends at the edges: links that run code, dates that do
// not exist, codings we cannot undo, keys reused on another target, tags without quotes.
const test = suite('input hygiene')
let server: TestServer
test.before(async () => {
  server = await startServer()
})
test.after(async () => { await server.close() })

const reader = { as: 'north-reader' }
const createBookmark = (bookmarkUrl: string) => server.request('POST', '/bookmarks', { ...reader, json: { bookmark_url: bookmarkUrl, title: 'T' } })

for (const bad of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'mailto:someone@example.org', 'https://', 'http//example.org']) {
  test(`bookmark_url ${bad} is refused (422 naming the field)`, async () => {
    const r = await createBookmark(bad)
    assert.is(r.status, 422)
    assert.equal([...new Set(r.json.issues.map((i: { path: string }) => i.path))], ['/bookmark_url'])
  })
}
for (const good of ['https://example.org/a?b=c#d', 'http://127.0.0.1:8080/', 'HTTPS://EXAMPLE.ORG/']) {
  test(`bookmark_url ${good} is accepted`, async () => {
    assert.is((await createBookmark(good)).status, 201)
  })
}

const createVisit = (when: string) => server.request('POST', '/visits', { as: 'north-dispatcher', json: { patient: 'P', address: 'A', scheduled_for: when } })
for (const bad of ['2026-02-31T00:00:00Z', '2026-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-12-01T24:00:01Z', '2026-12-01T09:00:00', '2026-12-01']) {
  test(`scheduled_for ${bad} is not a date-time (422)`, async () => {
    const r = await createVisit(bad)
    assert.is(r.status, 422)
    assert.equal(r.json.issues.map((i: { path: string }) => i.path), ['/scheduled_for'])
  })
}
for (const good of ['2028-02-29T00:00:00Z', '2026-12-01T09:00:00.5+02:00', '2026-12-01t09:00:00z']) {
  test(`scheduled_for ${good} is a date-time`, async () => {
    assert.is((await createVisit(good)).status, 201)
  })
}

test.run()
