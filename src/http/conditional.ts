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

/** Strong comparison (§8.8.3.2): both strong and identical. */
export const strongMatch = (a: EntityTag, b: EntityTag): boolean => !a.weak && !b.weak && a.opaque === b.opaque

/** Weak comparison: opaque tags identical, either may be weak. */
export const weakMatch = (a: EntityTag, b: EntityTag): boolean => a.opaque === b.opaque

/** An HTTP-date (IMF-fixdate or the two obsolete forms) in whole seconds, or undefined when invalid. */
export function parseHttpDate(value: string): number | undefined {
  const v = value.trim()
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|day, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT| [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$|^[A-Z][a-z]+day, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/.test(v)) {
    return undefined
  }
  const ms = Date.parse(v)
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000)
}

/** Milliseconds to the second-precision value an HTTP-date carries. */
export const toSeconds = (ms: number): number => Math.floor(ms / 1000)

export const httpDate = (ms: number): string => new Date(ms).toUTCString()
