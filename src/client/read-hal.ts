import { resolve } from './link-header.ts'
import { isObject, parseObject } from './read-json.ts'
import type { ActionInfo, Field, Reading } from './types.ts'

const hrefOf = (link: unknown): string | undefined => {
  const first: unknown = Array.isArray(link) ? link[0] : link
  return isObject(first) && typeof first.href === 'string' ? first.href : undefined
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined)

/** A HAL-FORMS property as a field (`prompt` is its label, `regex` its pattern). */
function field(p: Record<string, unknown>): Field {
  const min = num(p.min)
  const max = num(p.max)
  const options = isObject(p.options) && Array.isArray(p.options.inline) ? p.options.inline.map((o) => (isObject(o) ? String(o.value) : String(o))) : undefined
  return {
    name: String(p.name),
    ...(typeof p.type === 'string' && { type: p.type }),
    ...(typeof p.prompt === 'string' && { title: p.prompt }),
    ...(p.required === true && { required: true }),
    ...(p.value !== undefined && p.value !== null && { value: String(p.value) }),
    ...(typeof p.regex === 'string' && { pattern: p.regex }),
    ...(min !== undefined && { min }),
    ...(max !== undefined && { max }),
    ...(typeof p.minLength === 'number' && { minLength: p.minLength }),
    ...(typeof p.maxLength === 'number' && { maxLength: p.maxLength }),
    ...(options !== undefined && { options }),
  }
}

/**
 * HAL (`_links`, `_embedded`) with HAL-FORMS `_templates`: each template is an action named by
 * its key, sent to `target` (the self link when absent) with `contentType` (JSON by default).
 */
export function readHal(body: string, base: string): Reading {
  const doc = parseObject(body)
  const links: Record<string, string> = {}
  if (isObject(doc._links)) {
    for (const [rel, link] of Object.entries(doc._links)) {
      const href = hrefOf(link)
      if (rel !== 'curies' && href !== undefined) links[rel] = resolve(href, base)
    }
  }
  const self = links.self ?? base
  const actions: Record<string, ActionInfo> = {}
  if (isObject(doc._templates)) {
    for (const [name, t] of Object.entries(doc._templates)) {
      if (!isObject(t)) continue
      const fields = Array.isArray(t.properties) ? t.properties.filter(isObject).filter((p) => typeof p.name === 'string').map(field) : []
      actions[name] = {
        href: typeof t.target === 'string' ? resolve(t.target, base) : self,
        method: typeof t.method === 'string' ? t.method.toUpperCase() : 'GET',
        contentType: typeof t.contentType === 'string' ? t.contentType : 'application/json',
        ...(typeof t.title === 'string' && { title: t.title }),
        fields,
      }
    }
  }
  // HAL-FORMS names the first template "default"; when it only repeats a named one, the name is kept.
  const def = actions.default
  if (def !== undefined && Object.entries(actions).some(([n, a]) => n !== 'default' && a.href === def.href && a.method === def.method)) delete actions.default
  const items: string[] = []
  if (isObject(doc._embedded)) {
    for (const embedded of Object.values(doc._embedded)) {
      for (const e of Array.isArray(embedded) ? embedded : [embedded]) {
        const href = isObject(e) && isObject(e._links) ? hrefOf(e._links.self) : undefined
        if (href !== undefined) items.push(resolve(href, base))
      }
    }
  }
  const data: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(doc)) if (!key.startsWith('_')) data[key] = value
  return { data, links, actions, items }
}
