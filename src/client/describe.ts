import type { Resource } from './client.ts'
import type { Field } from './types.ts'

const fieldText = (f: Field): string => `${f.name}${f.required === true ? '*' : ''}${f.type === undefined || f.type === 'text' ? '' : `:${f.type}`}${f.value === undefined ? '' : `=${JSON.stringify(f.value)}`}`

/** A plain-text account of a resource: where it is, its data, its links and what can be done. */
export function describeResource(r: Resource): string {
  const lines = [`${r.url}  (${r.status}${r.etag === undefined ? '' : `, ETag ${r.etag}`})`, '', 'data:']
  const data = JSON.stringify(r.data, null, 2)
  lines.push(...data.split('\n').map((l) => `  ${l}`))
  const width = Math.max(0, ...Object.keys(r.links).map((k) => k.length), ...Object.keys(r.actions).map((k) => k.length))
  lines.push('', 'links (follow with --follow <name>):')
  for (const [name, href] of Object.entries(r.links)) lines.push(`  ${name.padEnd(width)}  GET  ${href}`)
  if (r.items.length > 0) lines.push('', `items (${r.items.length}):`, ...r.items.map((i) => `  ${i}`))
  lines.push('', 'actions (take with --act <name> --input <json>):')
  if (Object.keys(r.actions).length === 0) lines.push('  none')
  for (const [name, a] of Object.entries(r.actions)) {
    const fields = (a.fields ?? []).filter((f) => f.type !== 'hidden')
    lines.push(`  ${name.padEnd(width)}  ${a.method} ${a.href}  [${a.contentType}]${fields.length === 0 ? '' : `  fields: ${fields.map(fieldText).join(', ')}`}`)
  }
  return lines.join('\n')
}
