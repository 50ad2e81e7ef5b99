import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { httpDate, parseHttpDate, parseTagList, strongMatch, weakMatch } from '../../../src/http/protocol/conditional.ts'

const test = suite('validators and HTTP-dates')
const t1994 = Date.UTC(1994, 10, 6, 8, 49, 37) / 1000

// RFC 9110 §5.6.7: the same instant in the three forms a recipient must accept.
for (const form of ['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994']) {
  test(`HTTP-date: ${form}`, () => assert.is(parseHttpDate(form), t1994))
}
test('asctime-date is GMT whatever the local time zone', () => {
  const saved = process.env.TZ
  process.env.TZ = 'America/New_York'
  try { assert.is(parseHttpDate('Sun Nov  6 08:49:37 1994'), t1994) } finally { if (saved === undefined) delete process.env.TZ; else process.env.TZ = saved }
})
test('rfc850-date: a two-digit year more than 50 years ahead is in the past century', () => {
  const now = Date.UTC(2026, 0, 1)
  assert.is(parseHttpDate('Thursday, 01-Jan-70 00:00:00 GMT', now), Date.UTC(2070, 0, 1) / 1000)
  assert.is(parseHttpDate('Friday, 01-Jan-77 00:00:00 GMT', now), Date.UTC(1977, 0, 1) / 1000)
})
for (const bad of ['', 'yesterday', 'Sun, 06 Nov 1994 08:49:37', 'Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT', 'Mon, 31 Feb 2026 12:00:00 GMT', 'Sun, 06 Nov 1994 25:49:37 GMT', '784111777']) {
  test(`not an HTTP-date: ${JSON.stringify(bad)}`, () => assert.is(parseHttpDate(bad), undefined))
}

test('tag lists', () => {
  assert.equal(parseTagList('*'), { any: true })
  assert.equal(parseTagList(' "a" , W/"b"'), { any: false, tags: [{ weak: false, opaque: '"a"' }, { weak: true, opaque: '"b"' }] })
  for (const bad of ['a', '"a', 'W/a', '*, "a"', '', 'w/"a"']) assert.is(parseTagList(bad), 'invalid', bad)
})
test('strong comparison: W/ never matches; weak comparison ignores W/', () => {
  const a = { weak: false, opaque: '"1"' }
  const wa = { weak: true, opaque: '"1"' }
  assert.ok(strongMatch(a, a))
  assert.not.ok(strongMatch(wa, a))
  assert.not.ok(strongMatch(wa, wa))
  assert.ok(weakMatch(wa, a))
  assert.not.ok(weakMatch(a, { weak: false, opaque: '"2"' }))
})

test('httpDate is Date#toUTCString (IMF-fixdate) across centuries, leap days and second boundaries', () => {
  const fixed = [0, 951782400000, 951868799999, 4102444800000, 253402300799000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(1999, 11, 31, 23, 59, 59)]
  let seed = 7
  const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647
  const samples = [...fixed, ...Array.from({ length: 2000 }, () => Math.floor(random() * 253402300799000))]
  for (const ms of samples) assert.is(httpDate(ms), new Date(ms).toUTCString(), String(ms))
})

test.run()
