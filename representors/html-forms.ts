import { escapeHtml } from './html-escape.ts'
import { fieldsOf, type Field } from './fields.ts'
import type { Affordance, Choice } from './types.ts'

const attr = (name: string, value: unknown): string => (value === undefined ? '' : ` ${name}="${escapeHtml(value)}"`)
const flag = (name: string, on: boolean): string => (on ? ` ${name}` : '')

// Longer free text reads better in a text area (which cannot carry a pattern).
const TEXTAREA_FROM = 1000

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

function control(id: string, f: Field): string {
  const common = `${attr('id', id)}${attr('name', f.name)}${flag('required', f.required)}`
  if (f.options !== undefined) {
    const blank = f.required ? '' : '<option value=""></option>'
    return `<select${common}>${blank}${f.options.map(option).join('')}</select>`
  }
  // Ticked sends true, unticked nothing, which the server reads as false: a required box would have to be ticked.
  if (f.inputType === 'checkbox') return `<input type="checkbox"${attr('id', id)}${attr('name', f.name)} value="true">`
  const lengths = `${attr('minlength', f.minLength)}${attr('maxlength', f.maxLength)}`
  if (f.json || (f.inputType === 'text' && (f.maxLength ?? 0) >= TEXTAREA_FROM && f.pattern === undefined)) return `<textarea${common}${lengths} rows="3"></textarea>`
  if (f.inputType === 'number') return `<input type="number"${common}${attr('min', f.min)}${attr('max', f.max)} step="${f.integer ? '1' : 'any'}">`
  // A datetime-local field has no zone; the server reads it as UTC.
  if (f.inputType === 'datetime-local') return `<input type="datetime-local"${common} step="1">`
  return `<input type="${f.inputType}"${common}${lengths}${attr('pattern', f.pattern === undefined ? undefined : htmlPattern(f.pattern))}>`
}

function label(f: Field): string {
  const notes = [...(f.json ? ['JSON'] : []), ...(f.required || f.inputType === 'checkbox' ? [] : ['optional'])]
  return `${f.title ?? f.name}${f.inputType === 'datetime-local' ? ' (UTC)' : ''}${notes.length === 0 ? '' : ` (${notes.join(', ')})`}`
}

/** The labelled fields of an action, in the schema's order. */
function fieldset(formId: string, fields: readonly Field[]): string {
  return fields.map((f) => {
    const id = `${formId}-${f.name}`
    const help = f.description === undefined ? '' : `<small>${escapeHtml(f.description)}</small>`
    return `<div class="field"><label${attr('for', id)}>${escapeHtml(label(f))}</label>${control(id, f)}${help}</div>`
  }).join('\n')
}

/**
 * One `<form>` for one affordance: POST to its target, fields from its input schema,
 * and hidden fields (the ETag standing in for If-Match, which a form cannot send).
 */
export function actionForm(a: Affordance, hidden: Readonly<Record<string, string>>): string {
  const formId = `form-${a.name}`
  const hiddenFields = Object.entries(hidden).map(([k, v]) => `<input type="hidden"${attr('name', k)}${attr('value', v)}>`).join('')
  return `<form class="action" method="post"${attr('action', a.href)}${attr('id', formId)} data-action="${escapeHtml(a.name)}">
<h3>${escapeHtml(a.title)}</h3>
${hiddenFields}
${fieldset(formId, fieldsOf(a.input, a.options))}
<button type="submit">${escapeHtml(a.title)}</button>
</form>`
}
