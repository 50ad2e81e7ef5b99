import type { Affordance, NavLink } from '../../../representors/types.ts'

const quote = (s: string): string => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`

// Relations, titles and types come from resource-type definitions: a few strings, quoted once each.
const quotedOnce = new Map<string, string>()
const quoted = (s: string): string => {
  let q = quotedOnce.get(s)
  if (q === undefined) {
    q = quote(s)
    if (quotedOnce.size >= 1024) quotedOnce.clear()
    quotedOnce.set(s, q)
  }
  return q
}

/**
 * An RFC 8288 `Link` field: the navigation links, then one link per legal action
 * (relation = the action's name, with `method="POST"` so header-only clients know to post).
 */
export function linkHeader(links: readonly NavLink[], actions: readonly Affordance[]): string {
  const parts = links.map((l) => `<${l.href}>; rel=${quoted(l.rel)}${l.title === undefined ? '' : `; title=${quoted(l.title)}`}${l.type === undefined ? '' : `; type=${quoted(l.type)}`}`)
  for (const a of actions) parts.push(`<${a.href}>; rel=${quoted(a.name)}; method="POST"; title=${quoted(a.title)}`)
  return parts.join(', ')
}

/** An RFC 9652 `Link-Template` field: the search's URI template, which a `Link` cannot carry (its target must be a URI). */
export const linkTemplateHeader = (template: string, rel: string): string => `${quote(template)}; rel=${quoted(rel)}`
