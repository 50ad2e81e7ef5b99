import { escapeHtml } from './html-escape.ts'
import type { SearchAffordance, SearchInput } from './types.ts'

const attr = (name: string, value: unknown): string => (value === undefined ? '' : ` ${name}="${escapeHtml(value)}"`)

// Choices as checkboxes of one name, the form sending each ticked one as the query takes them; radio buttons where one value at most is taken (sort).
function control(i: SearchInput, id: string, shown: Readonly<Record<string, readonly string[]>>): string {
  const now = shown[i.name] ?? []
  if (i.options !== undefined) {
    const type = i.multiple ? 'checkbox' : 'radio'
    const boxes = i.options.map((c, n) => `<label${attr('for', `${id}-${n}`)}><input${attr('type', type)}${attr('id', `${id}-${n}`)}${attr('name', i.name)}${attr('value', c.value)}${now.includes(String(c.value)) ? ' checked' : ''}> ${escapeHtml(c.label ?? c.value)}</label>`)
    return `<fieldset class="field"><legend>${escapeHtml(i.title)}</legend>${boxes.join(' ')}</fieldset>`
  }
  const type = i.inputType === 'number' ? 'number' : 'text'
  return `<div class="field"><label${attr('for', id)}>${escapeHtml(i.title)}</label><input${attr('type', type)}${attr('id', id)}${attr('name', i.name)}${attr('placeholder', i.placeholder)}${attr('value', now[0])}${type === 'number' ? ' step="any"' : ''}></div>`
}

/** A filter form for a collection page: GET to the collection, one input per query parameter, filled with the filters in force. */
export function searchForm(s: SearchAffordance): string {
  const shown: Record<string, string[]> = {}
  for (const [k, v] of new URLSearchParams(s.current ?? '')) (shown[k] ??= []).push(v)
  const inputs = s.inputs.map((i) => control(i, `search-${i.name}`, shown)).join('')
  return `<form class="search" method="get"${attr('action', s.href)} data-action="search" role="search" aria-label="${escapeHtml(s.title)}">${inputs}<button type="submit">Filter</button></form>`
}
