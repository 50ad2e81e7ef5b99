import type { Filter, Sort } from '../store/types.ts'
import { parametersOf, type SearchField } from './declare.ts'

/** A query's filters, and the canonical text that binds cursors to them (and rebuilds next links). */
export interface Search {
  readonly filters: readonly Filter[]
  readonly sort?: Sort
  /** `state=a&state=b&…` in the fields' order with values sorted: the same filters always spell the same. */
  readonly canonical: string
}

type Raw = Readonly<Record<string, string | readonly string[] | undefined>>

const MAX_VALUES = 20
const MAX_LENGTH = 200
const NUMBER = /^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,15})?$/
// RFC 3339 date-time with a mandatory offset, as the schemas' `date-time` format admits.
const DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$/
const shown = (v: string): string => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
const listed = (values: readonly string[]): string => (values.length > 12 ? `${values.slice(0, 12).join(', ')} and ${values.length - 12} more` : values.join(', '))

// An empty value asks for nothing: a GET form sends every input, filled or not.
const valuesOf = (raw: Raw, name: string): readonly string[] => {
  const v = raw[name]
  return (v === undefined ? [] : typeof v === 'string' ? [v] : v).filter((s) => s !== '')
}

/** A date-time as UTC with milliseconds: a fixed-width text that sorts as time does, as both stores compute it. */
const instant = (value: string): string => new Date(value).toISOString()

function rangeBound(f: SearchField & { kind: 'range' }, name: string, raw: Raw): { value?: number | string; error?: string } {
  const values = valuesOf(raw, name)
  if (values.length === 0) return {}
  const v = values[0] as string
  const what = f.as === 'number' ? 'a number' : 'a date-time with an offset (2026-12-01T09:00:00Z)'
  if (values.length > 1) return { error: `"${name}" may be given once.` }
  if (f.as === 'number') return NUMBER.test(v) ? { value: Number(v) } : { error: `"${name}" must be ${what}, not ${shown(v)}.` }
  return DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)) ? { value: instant(v) } : { error: `"${name}" must be ${what}, not ${shown(v)}.` }
}

/** The filters a collection's query asks for, or why they cannot be read (naming what is allowed). */
export function parseSearch(fields: readonly SearchField[], raw: Raw): Search | string {
  const filters: Filter[] = []
  const parts: string[] = []
  for (const f of fields) {
    if (f.kind === 'range') {
      const after = rangeBound(f, `${f.name}_after`, raw)
      const before = rangeBound(f, `${f.name}_before`, raw)
      const error = after.error ?? before.error
      if (error !== undefined) return error
      if (after.value === undefined && before.value === undefined) continue
      filters.push({ kind: 'range', field: f.name, as: f.as, ...(after.value !== undefined && { after: after.value }), ...(before.value !== undefined && { before: before.value }) })
      if (after.value !== undefined) parts.push(`${f.name}_after=${encodeURIComponent(after.value)}`)
      if (before.value !== undefined) parts.push(`${f.name}_before=${encodeURIComponent(before.value)}`)
      continue
    }
    const values = [...new Set(valuesOf(raw, f.name))].sort()
    if (values.length === 0) continue
    if (values.length > MAX_VALUES) return `"${f.name}" may be given at most ${MAX_VALUES} times.`
    const allowed = f.values
    const bad = values.find((v) => v.length > MAX_LENGTH || (allowed !== undefined && !allowed.includes(v)))
    if (bad !== undefined) return allowed === undefined ? `"${f.name}" must be at most ${MAX_LENGTH} characters.` : `"${f.name}" must be one of ${listed(allowed)}, not ${shown(bad)}.`
    filters.push(f.kind === 'state' ? { kind: 'state', values } : { kind: 'equals', field: f.name, values })
    for (const v of values) parts.push(`${f.name}=${encodeURIComponent(v)}`)
  }
  const sort = sortOf(fields, raw)
  if (typeof sort === 'string') return sort
  if (sort !== undefined) parts.push(`sort=${sort.descending ? '-' : ''}${sort.field}`)
  return { filters, ...(sort !== undefined && { sort }), canonical: parts.join('&') }
}

/** The names `sort` takes: each sortable field, ascending, or descending after a `-`. */
export const sortNames = (fields: readonly SearchField[]): string[] =>
  fields.flatMap((f) => (f.kind === 'range' && f.sortable ? [f.name, `-${f.name}`] : []))

function sortOf(fields: readonly SearchField[], raw: Raw): Sort | undefined | string {
  const values = valuesOf(raw, 'sort')
  if (values.length === 0) return undefined
  const allowed = sortNames(fields)
  const v = values[0] as string
  if (values.length > 1 || !allowed.includes(v)) return `"sort" must be one of ${listed(allowed)}, given once, not ${shown(v)}.`
  const name = v.replace(/^-/, '')
  const field = fields.find((f) => f.name === name) as SearchField & { kind: 'range' }
  return { field: name, as: field.as, descending: v.startsWith('-') }
}

/** Every query parameter a collection with these fields reads, `limit` and `after` included. */
export const searchParameters = (fields: readonly SearchField[]): readonly string[] => [...fields.flatMap(parametersOf), ...(sortNames(fields).length > 0 ? ['sort'] : []), 'limit', 'after']
