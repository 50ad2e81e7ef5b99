import type { SearchAffordance, SearchInput } from '../../representors/types.ts'
import type { SearchField } from './declare.ts'
import { parametersOf } from './declare.ts'
import { sortNames } from './parse.ts'

const titled = (f: SearchField): string => ('title' in f && f.title !== undefined ? f.title : f.name.replaceAll('_', ' '))

function inputsOf(f: SearchField): SearchInput[] {
  if (f.kind === 'range') {
    const number = f.as === 'number'
    const [after, before] = parametersOf(f) as [string, string]
    const hint = number ? {} : { placeholder: '2026-12-01T09:00:00Z' }
    return [
      { name: after, title: `${titled(f)} after`, inputType: number ? 'number' : 'text', multiple: false, ...hint },
      { name: before, title: `${titled(f)} before`, inputType: number ? 'number' : 'text', multiple: false, ...hint },
    ]
  }
  const values = f.values
  return [{ name: f.name, title: titled(f), inputType: 'text', multiple: true, ...(values !== undefined && { options: values.map((value) => ({ value })) }) }]
}

// A sort offers its names as choices: `scheduled_for`, and `-scheduled_for` for the latest first.
const sortInput = (fields: readonly SearchField[]): SearchInput[] => {
  const names = sortNames(fields)
  return names.length === 0 ? [] : [{ name: 'sort', title: 'Sort by', inputType: 'text', multiple: false, options: names.map((value) => ({ value, label: value.startsWith('-') ? `${value.slice(1)}, latest first` : value })) }]
}

/** An RFC 6570 template of a search: `{?status*,clinician_id*,scheduled_for_after,…,limit}` (lists explode into repeated names). */
const searchTemplate = (href: string, fields: readonly SearchField[]): string =>
  `${href}{?${[...fields.flatMap((f) => (f.kind === 'range' ? parametersOf(f) : [`${f.name}*`])), ...(sortNames(fields).length > 0 ? ['sort'] : []), 'limit'].join(',')}}`

/** The search affordance of a collection at `href`, from its type's queryable fields. */
export const searchAffordance = (href: string, collection: string, fields: readonly SearchField[], current?: string): SearchAffordance => ({
  title: `Search ${collection}`,
  href,
  template: searchTemplate(href, fields),
  inputs: [...fields.flatMap(inputsOf), ...sortInput(fields)],
  ...(current !== undefined && current !== '' && { current }),
})
