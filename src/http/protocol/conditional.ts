/** Pure helpers for RFC 9110 §8.8 validators and §13 conditional requests. */

export interface EntityTag {
  readonly weak: boolean
  /** The quoted opaque tag, quotes included. */
  readonly opaque: string
}

/** `*`, a list of entity tags, or `invalid` when the field does not parse (RFC 9110 §8.8.3). */
export type TagList = { readonly any: true } | { readonly any: false; readonly tags: readonly EntityTag[] } | 'invalid'

const tagPattern = /^(W\/)?("[\x21\x23-\x7e\x80-\xff]*")$/

export function parseTagList(field: string): TagList {
  const trimmed = field.trim()
  if (trimmed === '*') return { any: true }
  const tags: EntityTag[] = []
  for (const part of trimmed.split(',')) {
    const p = part.trim()
    if (p === '') continue
    const m = tagPattern.exec(p)
    if (m === null || m[2] === undefined) return 'invalid'
    tags.push({ weak: m[1] !== undefined, opaque: m[2] })
  }
  return tags.length === 0 ? 'invalid' : { any: false, tags }
}

const SHOWN = 64

/**
 * Why a list of entity-tags does not parse, naming the first bad member (capped) and, when
 * quotes are all it lacks, how to write it: `1-jh` is not a tag, `"1-jh"` is.
 */
export function tagListError(name: string, field: string): string {
  const bad = field.split(',').map((p) => p.trim()).find((p) => p !== '' && !tagPattern.test(p))
  if (bad === undefined) return `${name} holds no entity-tag; entity-tags are quoted, e.g. ${name}: "1-j" (RFC 9110 §8.8.3), or * alone.`
  const shown = bad.length > SHOWN ? `${bad.slice(0, SHOWN)}…` : bad
  const m = /^(W\/)?([\x21\x23-\x29\x2b-\x7e\x80-\xff]+)$/.exec(bad)
  const example = m !== null && bad.length <= SHOWN ? `, e.g. ${name}: ${m[1] ?? ''}"${m[2] ?? ''}"` : ''
  return `${name}: ${shown} is not an entity-tag; entity-tags are quoted${example} (RFC 9110 §8.8.3), or * alone.`
}

/** Strong comparison (§8.8.3.2): both strong and identical. */
export const strongMatch = (a: EntityTag, b: EntityTag): boolean => !a.weak && !b.weak && a.opaque === b.opaque

/** Weak comparison: opaque tags identical, either may be weak. */
export const weakMatch = (a: EntityTag, b: EntityTag): boolean => a.opaque === b.opaque

const imfFixdate = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}:\d{2}:\d{2}) GMT$/
const rfc850Date = /^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}:\d{2}:\d{2}) GMT$/
const asctimeDate = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}:\d{2}:\d{2}) (\d{4})$/

/**
 * An HTTP-date (IMF-fixdate or one of the two obsolete forms, RFC 9110 §5.6.7) in whole
 * seconds, or undefined when invalid. `now` resolves the two-digit years of rfc850-date.
 */
export function parseHttpDate(value: string, now: number = Date.now()): number | undefined {
  const v = value.trim()
  let day: string, month: string, year: number, time: string
  let m = imfFixdate.exec(v)
  if (m !== null) [day, month, year, time] = [m[1] ?? '', m[2] ?? '', Number(m[3]), m[4] ?? '']
  else if ((m = rfc850Date.exec(v)) !== null) {
    // A two-digit year more than 50 years ahead belongs to the previous century.
    const thisYear = new Date(now).getUTCFullYear()
    year = thisYear - (thisYear % 100) + Number(m[3])
    if (year > thisYear + 50) year -= 100
    ;[day, month, time] = [m[1] ?? '', m[2] ?? '', m[4] ?? '']
  } else if ((m = asctimeDate.exec(v)) !== null) [month, day, time, year] = [m[1] ?? '', (m[2] ?? '').trim().padStart(2, '0'), m[3] ?? '', Number(m[4])]
  else return undefined
  // Always GMT, whatever the server's time zone (asctime-date carries no zone of its own).
  const ms = Date.parse(`${day} ${month} ${String(year).padStart(4, '0')} ${time} GMT`)
  // Date.parse rolls 31 Feb over into March; a day that moved was not a real date.
  if (Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(day)) return undefined
  return Math.floor(ms / 1000)
}

/** Milliseconds to the second-precision value an HTTP-date carries. */
export const toSeconds = (ms: number): number => Math.floor(ms / 1000)

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const two = (n: number): string => (n < 10 ? `0${n}` : String(n))

/** An IMF-fixdate (RFC 9110 §5.6.7), what `Date#toUTCString` gives for years 1000–9999, in half its time. */
export function httpDate(ms: number): string {
  const d = new Date(ms)
  const year = d.getUTCFullYear()
  if (year < 1000 || year > 9999) return d.toUTCString()
  return `${DAYS[d.getUTCDay()] ?? ''}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()] ?? ''} ${year} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`
}

// The fields a 304 must repeat from its 200 (RFC 9110 §15.4.5; Date is Node's).
const REPEATED_ON_304 = ['ETag', 'Vary', 'Cache-Control', 'Expires', 'Content-Location'] as const

/**
 * A 304's fields, from the 200's: the listed ones only, and Last-Modified only when there is
 * no ETag, since other metadata SHOULD NOT be sent unless it guides cache updates (§15.4.5).
 */
export function notModifiedHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of REPEATED_ON_304) if (headers[name] !== undefined) out[name] = headers[name]
  if (out.ETag === undefined && headers['Last-Modified'] !== undefined) out['Last-Modified'] = headers['Last-Modified']
  return out
}
