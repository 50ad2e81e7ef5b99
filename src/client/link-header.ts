/** One link of an RFC 8288 `Link` field: target, relation types and the other parameters. */
export interface HeaderLink {
  readonly href: string
  readonly rels: readonly string[]
  readonly params: Readonly<Record<string, string>>
}

// RFC 8288 §3: link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
const linkValue = /^\s*<([^>]*)>\s*/
const param = /^;\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+\-.^_`|~0-9A-Za-z/:]+)))?\s*/

/** Parses a `Link` field value; malformed parts end the parse instead of throwing. */
export function parseLinkHeader(value: string | null | undefined, base?: string): HeaderLink[] {
  const links: HeaderLink[] = []
  let rest = value ?? ''
  while (rest.trim() !== '') {
    const target = linkValue.exec(rest)
    if (target === null) break
    rest = rest.slice(target[0].length)
    const params: Record<string, string> = {}
    for (let m = param.exec(rest); m !== null; m = param.exec(rest)) {
      const name = (m[1] ?? '').toLowerCase()
      // §3.3: occurrences after the first of rel are ignored.
      if (!(name in params)) params[name] = m[2] !== undefined ? m[2].replaceAll(/\\(.)/g, '$1') : (m[3] ?? '')
      rest = rest.slice(m[0].length)
    }
    const href = resolve(target[1] ?? '', base)
    links.push({ href, rels: (params.rel ?? '').split(/\s+/).filter((r) => r !== ''), params })
    const comma = rest.indexOf(',')
    if (comma === -1) break
    rest = rest.slice(comma + 1)
  }
  return links
}

/** Resolves a reference against a base URL when there is one, leaving it as is when it cannot be parsed. */
export function resolve(href: string, base?: string): string {
  if (base === undefined) return href
  try {
    return new URL(href, base).href
  } catch {
    return href
  }
}
