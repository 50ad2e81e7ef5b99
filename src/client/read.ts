import { parseLinkHeader } from './link-header.ts'
import { readHal } from './read-hal.ts'
import { readHtml } from './read-html.ts'
import { readRestfulJson } from './read-json.ts'
import { readSiren } from './read-siren.ts'
import type { ActionInfo, Reader, Reading } from './types.ts'

/** The reader for a media type; JSON of any other kind is read as RESTful JSON. */
export function readerFor(contentType: string): Reader {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase()
  if (type === 'application/hal+json' || type === 'application/prs.hal-forms+json') return readHal
  if (type === 'application/vnd.siren+json') return readSiren
  if (type === 'text/html' || type === 'application/xhtml+xml') return readHtml
  return readRestfulJson
}

/**
 * Reads a response: the body's own links and actions, completed by the `Link` header. A header
 * link with a `method` is an action (sent as JSON: the header cannot say otherwise), and a
 * body link of the same name is that action, not a place to GET.
 */
export function readResponse(contentType: string, body: string, url: string, linkField: string | null): Reading {
  const reading = readerFor(contentType)(body, url)
  const links: Record<string, string> = {}
  const actions: Record<string, ActionInfo> = { ...reading.actions }
  for (const l of parseLinkHeader(linkField, url)) {
    for (const rel of l.rels) {
      const method = l.params.method?.toUpperCase()
      if (method !== undefined && method !== 'GET') actions[rel] ??= { href: l.href, method, contentType: 'application/json', ...(l.params.title !== undefined && { title: l.params.title }) }
      else links[rel] ??= l.href
    }
  }
  for (const [name, href] of Object.entries(reading.links)) links[name] = href
  for (const name of Object.keys(actions)) delete links[name]
  return { ...reading, links, actions } satisfies Reading
}
