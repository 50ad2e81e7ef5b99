import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type Reply, type TestServer } from '../../helpers/server.ts'

// The precondition matrix: every combination of the four fields, on GET, HEAD and a
// transition, compared with a reference evaluator written from RFC 9110 §13.2.2.
const test = suite('preconditions (RFC 9110 §13.2.2)')

type Tags = { readonly kind: 'absent' } | { readonly kind: 'any' } | { readonly kind: 'malformed' } | { readonly kind: 'list'; readonly tags: readonly { weak: boolean; opaque: string }[] }
type When = { readonly kind: 'absent' } | { readonly kind: 'invalid' } | { readonly kind: 'date'; readonly seconds: number }
interface Value<M> { readonly label: string; make(etag: string, lastModified: number): { field: string | undefined; meaning: M } }
interface Conditions { ifMatch: Tags; ifUnmodifiedSince: When; ifNoneMatch: Tags; ifModifiedSince: When }

/** RFC 9110 §13.2.2 for a resource that exists, has a strong ETag and a Last-Modified (in seconds). */
function expected(method: string, c: Conditions, etag: string, lastModified: number): 200 | 304 | 400 | 412 {
  const read = method === 'GET' || method === 'HEAD'
  // §13.1.1: If-Match is true for "*" or when a listed tag matches by strong comparison.
  const strong = (t: Tags): boolean => t.kind === 'any' || (t.kind === 'list' && t.tags.some((x) => !x.weak && x.opaque === etag))
  // §13.1.2: If-None-Match is false for "*" or when a listed tag matches by weak comparison.
  const weak = (t: Tags): boolean => t.kind === 'any' || (t.kind === 'list' && t.tags.some((x) => x.opaque === etag))
  // A tag field that is not a list of entity-tags is a malformed request (§8.8.3, §15.5.1), found when its step reads it.
  // Step 1, else step 2 (an invalid date is ignored, §13.1.4).
  if (c.ifMatch.kind === 'malformed') return 400
  if (c.ifMatch.kind !== 'absent') {
    if (!strong(c.ifMatch)) return 412
  } else if (c.ifUnmodifiedSince.kind === 'date' && lastModified > c.ifUnmodifiedSince.seconds) return 412
  // Step 3, else step 4 (GET and HEAD only; an invalid date is ignored, §13.1.3).
  if (c.ifNoneMatch.kind === 'malformed') return 400
  if (c.ifNoneMatch.kind !== 'absent') {
    if (weak(c.ifNoneMatch)) return read ? 304 : 412
  } else if (read && c.ifModifiedSince.kind === 'date' && lastModified <= c.ifModifiedSince.seconds) return 304
  // Step 5: perform the method.
  return 200
}

const list = (...tags: [boolean, string][]): Tags => ({ kind: 'list', tags: tags.map(([weak, opaque]) => ({ weak, opaque })) })
const tagValues: readonly Value<Tags>[] = [
  { label: 'absent', make: () => ({ field: undefined, meaning: { kind: 'absent' } }) },
  { label: 'matching', make: (e) => ({ field: e, meaning: list([false, e]) }) },
  { label: 'weak', make: (e) => ({ field: `W/${e}`, meaning: list([true, e]) }) },
  { label: 'not matching', make: () => ({ field: '"0-zz"', meaning: list([false, '"0-zz"']) }) },
  { label: '*', make: () => ({ field: '*', meaning: { kind: 'any' } }) },
  { label: 'list with it', make: (e) => ({ field: `"a", W/"b",${e}`, meaning: list([false, '"a"'], [true, '"b"'], [false, e]) }) },
  { label: 'malformed', make: (e) => ({ field: e.replaceAll('"', ''), meaning: { kind: 'malformed' } }) },
]
const date = (s: number): string => new Date(s * 1000).toUTCString()
const dateValues: readonly Value<When>[] = [
  { label: 'absent', make: () => ({ field: undefined, meaning: { kind: 'absent' } }) },
  { label: 'a second before', make: (_, lm) => ({ field: date(lm - 1), meaning: { kind: 'date', seconds: lm - 1 } }) },
  { label: 'the same second', make: (_, lm) => ({ field: date(lm), meaning: { kind: 'date', seconds: lm } }) },
  { label: 'a day after', make: (_, lm) => ({ field: date(lm + 86400), meaning: { kind: 'date', seconds: lm + 86400 } }) },
  { label: 'malformed', make: (_, lm) => ({ field: String(lm), meaning: { kind: 'invalid' } }) },
  { label: 'a list of dates', make: (_, lm) => ({ field: `${date(lm)}, ${date(lm)}`, meaning: { kind: 'invalid' } }) },
]

interface Case { readonly name: string; readonly headers: Record<string, string>; readonly conditions: Conditions }
type Combo = readonly [Value<Tags>, Value<When>, Value<Tags>, Value<When>]
const combos: readonly Combo[] = tagValues.flatMap((im) => dateValues.flatMap((ius) => tagValues.flatMap((inm) => dateValues.map((ims): Combo => [im, ius, inm, ims]))))

/** One row of the matrix, made against the resource's current validators. */
function caseOf([im, ius, inm, ims]: Combo, etag: string, lm: number): Case {
  const parts = { 'if-match': im.make(etag, lm), 'if-unmodified-since': ius.make(etag, lm), 'if-none-match': inm.make(etag, lm), 'if-modified-since': ims.make(etag, lm) }
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(parts)) if (v.field !== undefined) headers[k] = v.field
  return {
    name: `If-Match ${im.label}, If-Unmodified-Since ${ius.label}, If-None-Match ${inm.label}, If-Modified-Since ${ims.label}`,
    headers,
    conditions: { ifMatch: parts['if-match'].meaning, ifUnmodifiedSince: parts['if-unmodified-since'].meaning, ifNoneMatch: parts['if-none-match'].meaning, ifModifiedSince: parts['if-modified-since'].meaning },
  }
}
const size = combos.length

let server: TestServer
// Writes land 789 ms into a second, so Last-Modified (whole seconds) is earlier than updated_at.
const clock = Date.UTC(2026, 5, 1, 12, 0, 0, 789)
test.before(async () => { server = await startServer({ now: () => clock }) })
test.after(async () => { await server.close() })

const as = 'north-reader'
const lastModifiedOf = (r: Reply): number => Date.parse(r.headers.get('last-modified') ?? '') / 1000

for (const method of ['GET', 'HEAD']) {
  test(`${method}: ${size} combinations agree with §13.2.2`, async () => {
    const created = await server.request('POST', '/bookmarks', { as, json: { bookmark_url: 'https://example.org/m', title: 'M' } })
    const url = created.headers.get('location') as string
    const etag = created.headers.get('etag') as string
    const lm = lastModifiedOf(created)
    assert.is(lm, Math.floor(clock / 1000))
    const wrong: string[] = []
    const all = combos.map((k) => caseOf(k, etag, lm))
    for (let i = 0; i < all.length; i += 16) {
      await Promise.all(all.slice(i, i + 16).map(async (c) => {
        const want = expected(method, c.conditions, etag, lm)
        const r = await server.request(method, url, { as, headers: c.headers })
        if (r.status !== want) wrong.push(`${c.name}: ${r.status}, expected ${want}`)
        else if (want === 304 && r.headers.get('etag') !== etag) wrong.push(`${c.name}: 304 without the ETag`)
      }))
    }
    assert.equal(wrong.slice(0, 5), [], `${wrong.length} of ${all.length} differ`)
  })
}

test(`POST transition: ${size} combinations agree with §13.2.2, and only admitted ones change the resource`, async () => {
  const created = await server.request('POST', '/bookmarks', { as, json: { bookmark_url: 'https://example.org/t', title: 'T' } })
  const url = created.headers.get('location') as string
  let etag = created.headers.get('etag') as string
  let state = 'queued'
  const lm = lastModifiedOf(created)
  const wrong: string[] = []
  // The transition alternates: read (queued → read), then reread (read → queued).
  for (const combo of combos) {
    const c = caseOf(combo, etag, lm)
    const want = expected('POST', c.conditions, etag, lm)
    const r = await server.request('POST', `${url}/${state === 'queued' ? 'read' : 'reread'}`, { as, headers: c.headers })
    if (r.status !== want) wrong.push(`${c.name}: ${r.status}, expected ${want}`)
    if (r.status === 200) {
      assert.is.not(r.headers.get('etag'), etag, 'a write changes the ETag')
      etag = r.headers.get('etag') as string
      state = r.json.data.read_status
    }
  }
  const after = await server.request('GET', url, { as })
  assert.is(after.headers.get('etag'), etag, 'refused transitions changed nothing')
  assert.equal(wrong.slice(0, 5), [], `${wrong.length} of ${size} differ`)
})

test.run()
