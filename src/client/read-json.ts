import { resolve } from './link-header.ts'
import type { ActionInfo, Reading } from './types.ts'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Parses a JSON body, answering an empty object for anything that is not a JSON object. */
export function parseObject(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body)
    return isObject(value) ? value : {}
  } catch {
    return {}
  }
}

// An RFC 6570 form-style query template, the only kind a `*_url` carries: `/visits{?status*,limit}`.
const TEMPLATE = /^([^{]*)\{\?([A-Za-z0-9_.*,]+)\}$/

/** A query template as an action sent with GET: one field per variable (`*`, explode, takes several values). */
const templateAction = (href: string, variables: string): ActionInfo => ({
  href,
  method: 'GET',
  contentType: 'application/x-www-form-urlencoded',
  fields: variables.split(',').map((v) => ({ name: v.replace(/\*$/, ''), type: 'text', required: false })),
})

/**
 * RESTful JSON: `data` (or the body itself) and one `*_url` key per link. Keys alone do not
 * say which links are actions; the `Link` header does, so every `*_url` is a link here and
 * the caller moves the ones the header marks with a method. A `*_url` that is a query
 * template (`search_url`) is an action sent with GET.
 */
export function readRestfulJson(body: string, base: string): Reading {
  const doc = parseObject(body)
  const links: Record<string, string> = {}
  const actions: Record<string, ActionInfo> = {}
  const data: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(doc)) {
    const template = typeof value === 'string' ? TEMPLATE.exec(value) : null
    if (key.endsWith('_url') && template !== null) actions[key.slice(0, -4).replaceAll('_', '-')] = templateAction(resolve(template[1] as string, base), template[2] as string)
    else if (key.endsWith('_url') && typeof value === 'string') links[key.slice(0, -4).replaceAll('_', '-')] = resolve(value, base)
    else if (key === 'url' && typeof value === 'string') links.self = resolve(value, base)
    else if (key !== 'items') data[key] = value
  }
  const items = Array.isArray(doc.items) ? doc.items.filter(isObject).map((i) => i.url).filter((u): u is string => typeof u === 'string').map((u) => resolve(u, base)) : []
  return { data: isObject(doc.data) ? doc.data : data, links, actions, items }
}

export { isObject }
