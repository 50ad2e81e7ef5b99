/** How a declared field may be queried: `equals` for strings and enums (several values), `range` for numbers and date-times. */
export type QueryKind = 'equals' | 'range'

/** One queryable field as the framework reads it: the state, an equality field or a range. */
export type SearchField =
  | { readonly kind: 'state'; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: 'equals'; readonly name: string; readonly title?: string; readonly values?: readonly string[] }
  /** A range; `sortable` when every item has it (the schema requires it), so a sort on it leaves none out. */
  | { readonly kind: 'range'; readonly name: string; readonly title?: string; readonly as: 'number' | 'date-time'; readonly sortable: boolean }

// Field names go into SQL as JSON paths (so indexes match them): only plain identifiers.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * The fields of a type that may be queried, in a fixed order (the state first), checked
 * against its data schema; throws (a definition error) naming the field that cannot be.
 */
export function searchFields(name: string, schema: Readonly<Record<string, unknown>>, stateField: string, states: readonly string[], query: Readonly<Record<string, QueryKind>>): readonly SearchField[] {
  const fail = (why: string): never => {
    throw new Error(`resource "${name}": ${why}`)
  }
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown> | undefined>
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : []
  const fields: SearchField[] = [{ kind: 'state', name: stateField, values: states }]
  for (const [field, kind] of Object.entries(query)) {
    if (field === stateField) fail(`query names "${field}", the state, which may always be queried`)
    if (!IDENTIFIER.test(field)) fail(`query field "${field}" must be a lower-case identifier`)
    const prop = props[field]
    if (prop === undefined) fail(`query names field "${field}", which its data schema does not have`)
    const title = typeof prop?.title === 'string' ? { title: prop.title } : {}
    const enumValues = Array.isArray(prop?.enum) ? (prop.enum as unknown[]) : undefined
    if (kind === 'equals') {
      if (prop?.type !== 'string' && !(enumValues?.every((v) => typeof v === 'string') ?? false)) fail(`query field "${field}" is compared for equality, so it must be a string or a string enum`)
      fields.push({ kind: 'equals', name: field, ...title, ...(enumValues !== undefined && { values: enumValues as string[] }) })
    } else if (kind === 'range') {
      const as = prop?.type === 'number' || prop?.type === 'integer' ? 'number' : prop?.type === 'string' && prop.format === 'date-time' ? 'date-time' : fail(`query field "${field}" is a range, so it must be a number or a date-time`)
      fields.push({ kind: 'range', name: field, ...title, as, sortable: required.includes(field) })
    } else fail(`query field "${field}" has kind "${String(kind)}": it must be "equals" or "range"`)
  }
  // Range parameters are `<field>_after` and `<field>_before`: none may clash with another name.
  const names = fields.flatMap(parametersOf)
  const clash = names.find((n, i) => names.indexOf(n) !== i || ['limit', 'after', 'sort'].includes(n))
  if (clash !== undefined) fail(`query parameter "${clash}" would be read twice`)
  return fields
}

/** The query parameters one field reads. */
export const parametersOf = (f: SearchField): readonly string[] => (f.kind === 'range' ? [`${f.name}_after`, `${f.name}_before`] : [f.name])
