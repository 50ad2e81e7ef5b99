import { resolve } from './link-header.ts'
import { isObject, parseObject } from './read-json.ts'
import type { ActionInfo, Field, Reading } from './types.ts'

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [])

/** A Siren field; constraints beyond the spec's (required, lengths, bounds, pattern) are read when present. */
function field(f: Record<string, unknown>): Field {
  return {
    name: String(f.name),
    ...(typeof f.type === 'string' && { type: f.type }),
    ...(typeof f.title === 'string' && { title: f.title }),
    ...(f.required === true && { required: true }),
    ...(typeof f.pattern === 'string' && { pattern: f.pattern }),
    ...(typeof f.min === 'number' && { min: f.min }),
    ...(typeof f.max === 'number' && { max: f.max }),
    ...(typeof f.minLength === 'number' && { minLength: f.minLength }),
    ...(typeof f.maxLength === 'number' && { maxLength: f.maxLength }),
    // A list of values is a choice (each `{ value, title }`), not a value to send back.
    ...(Array.isArray(f.value) ? { options: f.value.map((o) => String(isObject(o) ? o.value : o)) } : f.value !== undefined && f.value !== null && { value: typeof f.value === 'string' ? f.value : JSON.stringify(f.value) }),
  }
}

/** The self href of a sub-entity: an embedded link's `href` or a representation's self link. */
function entityHref(e: Record<string, unknown>): string | undefined {
  if (typeof e.href === 'string') return e.href
  const self = Array.isArray(e.links) ? e.links.filter(isObject).find((l) => strings(l.rel).includes('self')) : undefined
  return typeof self?.href === 'string' ? self.href : undefined
}

/**
 * Siren: `properties`, `links` (every relation of a link names it), `actions` (method GET and
 * type `application/x-www-form-urlencoded` when absent, as the spec says) and `entities`.
 */
export function readSiren(body: string, base: string): Reading {
  const doc = parseObject(body)
  const links: Record<string, string> = {}
  for (const l of Array.isArray(doc.links) ? doc.links.filter(isObject) : []) {
    if (typeof l.href !== 'string') continue
    for (const rel of strings(l.rel)) links[rel] ??= resolve(l.href, base)
  }
  const actions: Record<string, ActionInfo> = {}
  for (const a of Array.isArray(doc.actions) ? doc.actions.filter(isObject) : []) {
    if (typeof a.name !== 'string' || typeof a.href !== 'string') continue
    actions[a.name] = {
      href: resolve(a.href, base),
      method: typeof a.method === 'string' ? a.method.toUpperCase() : 'GET',
      contentType: typeof a.type === 'string' ? a.type : 'application/x-www-form-urlencoded',
      ...(typeof a.title === 'string' && { title: a.title }),
      fields: Array.isArray(a.fields) ? a.fields.filter(isObject).filter((f) => typeof f.name === 'string').map(field) : [],
    }
  }
  const items = (Array.isArray(doc.entities) ? doc.entities.filter(isObject) : []).map(entityHref).filter((h): h is string => h !== undefined).map((h) => resolve(h, base))
  return { data: isObject(doc.properties) ? doc.properties : {}, links, actions, items }
}
