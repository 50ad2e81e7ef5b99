import { resolve } from './link-header.ts'
import type { ActionInfo, Field, Reading } from './types.ts'

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

/** Decodes the character references an attribute or text may hold. */
export function decodeEntities(s: string): string {
  return s.replaceAll(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16))
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)))
    return entities[ref.toLowerCase()] ?? whole
  })
}

interface Tag {
  readonly name: string
  readonly closing: boolean
  readonly attrs: Readonly<Record<string, string>>
  /** The text between this tag and the next. */
  readonly text: string
}

const attrPattern = /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g

function* tags(html: string): Generator<Tag> {
  // Comments and scripts could hold markup that is not part of the page.
  const source = html.replaceAll(/<!--[\s\S]*?-->/g, '').replaceAll(/<script[\s\S]*?<\/script>/gi, '')
  for (const m of source.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const attrs: Record<string, string> = {}
    for (const a of (m[3] ?? '').matchAll(attrPattern)) attrs[(a[1] ?? '').toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '')
    yield { name: (m[2] ?? '').toLowerCase(), closing: m[1] === '/', attrs, text: textAfter(source, (m.index ?? 0) + m[0].length) }
  }
}

const textAfter = (html: string, from: number): string => {
  const end = html.indexOf('<', from)
  return decodeEntities(html.slice(from, end === -1 ? undefined : end).trim())
}
const slug = (s: string): string => s.toLowerCase().trim().replaceAll(/[^a-z0-9]+/g, '-').replaceAll(/^-|-$/g, '')
function lastSegment(href: string): string {
  try {
    return decodeURIComponent(new URL(href).pathname.split('/').pop() ?? '')
  } catch {
    return ''
  }
}
const num = (v: string | undefined): number | undefined => (v === undefined || v.trim() === '' || Number.isNaN(Number(v)) ? undefined : Number(v))

function field(attrs: Readonly<Record<string, string>>, type: string): Field {
  const min = num(attrs.min)
  const max = num(attrs.max)
  const minLength = num(attrs.minlength)
  const maxLength = num(attrs.maxlength)
  return {
    name: attrs.name ?? '',
    type,
    ...('required' in attrs && { required: true }),
    ...(attrs.value !== undefined && { value: attrs.value }),
    ...(attrs.pattern !== undefined && { pattern: attrs.pattern }),
    ...(attrs.title !== undefined && { title: attrs.title }),
    ...(min !== undefined && { min }),
    ...(max !== undefined && { max }),
    ...(minLength !== undefined && { minLength }),
    ...(maxLength !== undefined && { maxLength }),
  }
}

interface OpenForm {
  name: string
  action: ActionInfo
  fields: Field[]
  /** The submit button's label: the name of last resort. */
  button: string
  select?: { attrs: Readonly<Record<string, string>>; options: string[] }
}

/**
 * HTML: `<a href>` and `<link href>` are links named by `rel` (or their text); each `<form>` is
 * an action named by `data-action`, `name`, `id`, the last segment of its target or its submit
 * button, sent as the form's `enctype`; `<dt>`/`<dd>` pairs are the data.
 */
export function readHtml(html: string, base: string): Reading {
  const links: Record<string, string> = {}
  const actions: Record<string, ActionInfo> = {}
  const data: Record<string, unknown> = {}
  const items: string[] = []
  let form: OpenForm | undefined
  let term: string | undefined
  let description: { term: string; text: string } | undefined
  for (const tag of tags(html)) {
    const a = tag.attrs
    // A description is all the text inside <dd>, markup and all (a state may sit in a <span>).
    if (description !== undefined && !(tag.name === 'dd' && !tag.closing)) {
      if (tag.closing && tag.name === 'dd') {
        data[description.term] = description.text.replaceAll(/\s+/g, ' ').trim()
        description = undefined
      } else description.text += ` ${tag.text}`
    }
    if (tag.closing) {
      if (tag.name === 'form' && form !== undefined) {
        actions[form.name || slug(lastSegment(form.action.href)) || form.button || 'submit'] = { ...form.action, fields: form.fields }
        form = undefined
      } else if (tag.name === 'select' && form?.select !== undefined) {
        const s = form.select
        form.fields.push({ ...field(s.attrs, 'select'), options: s.options })
        delete form.select
      }
      continue
    }
    switch (tag.name) {
      case 'a':
      case 'link':
        if (a.href === undefined) break
        for (const rel of (a.rel ?? slug(tag.text)).split(/\s+/).filter((r) => r !== '')) {
          if (rel === 'item') items.push(resolve(a.href, base))
          else links[rel] ??= resolve(a.href, base)
        }
        break
      case 'form': {
        const method = (a.method ?? 'GET').toUpperCase()
        const action: ActionInfo = { href: resolve(a.action ?? '', base), method, contentType: a.enctype ?? 'application/x-www-form-urlencoded', ...(a.title !== undefined && { title: a.title }) }
        form = { name: a['data-action'] ?? a.name ?? a.id ?? '', action, fields: [], button: '' }
        break
      }
      case 'input':
        if (form === undefined) break
        if (a.type === 'submit') form.button ||= slug(a.value ?? '')
        else if (a.name !== undefined) form.fields.push(field(a, a.type ?? 'text'))
        break
      case 'textarea':
        if (form !== undefined && a.name !== undefined) form.fields.push(field(a, 'textarea'))
        break
      case 'select':
        if (form !== undefined && a.name !== undefined) form.select = { attrs: a, options: [] }
        break
      case 'option':
        form?.select?.options.push(a.value ?? tag.text)
        break
      case 'button':
        if (form !== undefined && (a.type ?? 'submit') === 'submit') form.button ||= slug(tag.text)
        break
      case 'dt':
        term = tag.text
        break
      case 'dd':
        if (term !== undefined) description = { term, text: tag.text }
        term = undefined
        break
    }
  }
  return { data, links, actions, items }
}
