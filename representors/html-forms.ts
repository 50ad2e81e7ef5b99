import { escapeHtml } from './html-escape.ts'
import type { Affordance, Choice, Schema } from './types.ts'

type Property = Readonly<Record<string, unknown>>

const attr = (name: string, value: unknown): string => (value === undefined ? '' : ` ${name}="${escapeHtml(value)}"`)
const flag = (name: string, on: boolean): string => (on ? ` ${name}` : '')
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

// Longer free text reads better in a text area (which cannot carry a pattern).
const TEXTAREA_FROM = 1000

/** The HTML input type for a schema property: number, date-time, URL, e-mail or text. */
export function inputType(p: Property): string {
  if (p.type === 'number' || p.type === 'integer') return 'number'
  switch (p.format) {
    case 'date-time': return 'datetime-local'
    case 'date': return 'date'
    case 'uri': return 'url'
    case 'email': return 'email'
    default: return 'text'
  }
}

const validInBrowsers = (p: string): boolean => {
  try {
    new RegExp(p, 'v')
    return true
  } catch {
    return false
  }
}

/**
 * A JSON Schema `pattern` as an HTML `pattern`: browsers anchor it at both ends and compile it
 * with the `v` flag, while JSON Schema searches anywhere. An unanchored pattern is widened to
 * keep its meaning; a lone `-` closing a class (invalid under `v`) is escaped; a pattern that
 * still does not compile is left out (the server checks it anyway).
 */
export function htmlPattern(pattern: string): string | undefined {
  const anchored = pattern.startsWith('^') && pattern.endsWith('$') && !pattern.endsWith('\\$')
  const whole = anchored ? pattern : `[\\s\\S]*(?:${pattern})[\\s\\S]*`
  return [whole, whole.replace(/(?<!\\)-\]/g, '\\-]')].find(validInBrowsers)
}

const option = (c: Choice): string => `<option${attr('value', c.value)}>${escapeHtml(c.label ?? c.value)}</option>`

function control(id: string, name: string, p: Property, required: boolean, offered: readonly Choice[] | undefined): string {
  const common = `${attr('id', id)}${attr('name', name)}${flag('required', required)}`
  const choices = offered ?? (Array.isArray(p.enum) ? p.enum.map((value) => ({ value: value as string | number })) : undefined)
  if (choices !== undefined) {
    const blank = required ? '' : '<option value=""></option>'
    return `<select${common}>${blank}${choices.map(option).join('')}</select>`
  }
  const type = inputType(p)
  const lengths = `${attr('minlength', num(p.minLength))}${attr('maxlength', num(p.maxLength))}`
  if (type === 'text' && (num(p.maxLength) ?? 0) >= TEXTAREA_FROM && p.pattern === undefined) return `<textarea${common}${lengths} rows="3"></textarea>`
  if (type === 'number') {
    const step = p.type === 'integer' ? '1' : 'any'
    return `<input type="number"${common}${attr('min', num(p.minimum))}${attr('max', num(p.maximum))} step="${step}">`
  }
  // A datetime-local field has no zone; the server reads it as UTC.
  if (type === 'datetime-local') return `<input type="datetime-local"${common} step="1">`
  return `<input type="${type}"${common}${lengths}${attr('pattern', typeof p.pattern === 'string' ? htmlPattern(p.pattern) : undefined)}>`
}

/** The labelled fields for an input schema's properties, in the schema's order, with the choices offered for some. */
export function fieldsOf(formId: string, schema: Schema | undefined, offered?: Readonly<Record<string, readonly Choice[]>>): string {
  if (schema === undefined) return ''
  const props = (schema.properties ?? {}) as Readonly<Record<string, Property>>
  const required = new Set(Array.isArray(schema.required) ? (schema.required as unknown[]).map(String) : [])
  return Object.entries(props).map(([name, p]) => {
    const id = `${formId}-${name}`
    const label = `${str(p.title) ?? name}${p.format === 'date-time' ? ' (UTC)' : ''}${required.has(name) ? '' : ' (optional)'}`
    const help = str(p.description) === undefined ? '' : `<small>${escapeHtml(p.description)}</small>`
    return `<div class="field"><label${attr('for', id)}>${escapeHtml(label)}</label>${control(id, name, p, required.has(name), offered?.[name])}${help}</div>`
  }).join('\n')
}

/**
 * One `<form>` for one affordance: POST to its target, fields from its input schema,
 * and hidden fields (the ETag standing in for If-Match, which a form cannot send).
 */
export function actionForm(a: Affordance, hidden: Readonly<Record<string, string>>): string {
  const formId = `form-${a.name}`
  const hiddenFields = Object.entries({ ...hidden, ...a.hidden }).map(([k, v]) => `<input type="hidden"${attr('name', k)}${attr('value', v)}>`).join('')
  return `<form class="action" method="post"${attr('action', a.href)}${attr('id', formId)} data-action="${escapeHtml(a.name)}">
<h3>${escapeHtml(a.title)}</h3>
${hiddenFields}
${fieldsOf(formId, a.input, a.options)}
<button type="submit">${escapeHtml(a.title)}</button>
</form>`
}
