import type { Affordance, NavLink } from '../../representors/types.ts'

const quoted = (s: string): string => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`

/**
 * An RFC 8288 `Link` field: the navigation links, then one link per legal action
 * (relation = the action's name, with `method="POST"` so header-only clients know to post).
 */
export function linkHeader(links: readonly NavLink[], actions: readonly Affordance[]): string {
  const parts = links.map((l) => `<${l.href}>; rel=${quoted(l.rel)}${l.title === undefined ? '' : `; title=${quoted(l.title)}`}${l.type === undefined ? '' : `; type=${quoted(l.type)}`}`)
  for (const a of actions) parts.push(`<${a.href}>; rel=${quoted(a.name)}; method="POST"; title=${quoted(a.title)}`)
  return parts.join(', ')
}
