import type { Field, ResourceType } from '../../src/index.ts'

// Inputs for the crawler: from what an affordance advertises, filled from the examples a
// schema `$id` leads to, never from knowledge of the machine.

/** A value a field accepts, from its type and constraints alone. */
function sampleField(f: Field): unknown {
  if (f.value !== undefined && f.value !== '') return f.value
  if (f.options !== undefined && f.options[0] !== undefined) return f.options[0]
  switch (f.type) {
    case 'number':
    case 'range':
      return Math.max(f.min ?? -Infinity, Math.min(f.max ?? Infinity, 1))
    case 'checkbox':
      return 'on'
    case 'date':
      return '2026-12-01'
    case 'datetime-local':
      // With seconds and a zone: what a JSON Schema date-time needs; form readers take it too.
      return '2026-12-01T09:00:00Z'
    case 'email':
      return 'someone@example.org'
    case 'url':
      return 'https://example.org/'
  }
  const candidates = ['sample', 'sample-1', 'a', '1']
  const fits = (s: string): boolean => (f.pattern === undefined || new RegExp(`^(?:${f.pattern})$`, 'u').test(s)) && s.length >= (f.minLength ?? 0)
  return candidates.find(fits) ?? 'sample'.padEnd(f.minLength ?? 0, 'x')
}

/**
 * The input for an affordance: its advertised fields, each filled from the example when it has
 * that field (so a field the affordance forgets makes the request fail) and the form offers it,
 * else from its choices or constraints.
 */
export function fill(fields: readonly Field[] | undefined, example: Record<string, unknown> | undefined): Record<string, unknown> {
  const shown = (fields ?? []).filter((f) => f.type !== 'hidden' && f.type !== 'submit')
  if (shown.length === 0) return { ...example }
  // Where the form offers choices, the example counts only if it is one of them.
  const offered = (f: Field, v: unknown): boolean => f.options === undefined || f.options.includes(String(v))
  return Object.fromEntries(shown.map((f) => [f.name, example?.[f.name] !== undefined && offered(f, example[f.name]) ? example[f.name] : sampleField(f)]))
}

/** Every `$id` and `$ref` a schema names, resolved against its `$id`: where examples may be found. */
export function schemaIds(schema: unknown, base = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return []
  const s = schema as Record<string, unknown>
  const here = typeof s.$id === 'string' ? s.$id : base
  const own = [s.$id, s.$ref].filter((v): v is string => typeof v === 'string').map((v) => (here === '' ? v : new URL(v, here).href))
  return [...own, ...Object.values(s).flatMap((v) => schemaIds(v, here))]
}

/** Valid inputs by schema `$id`: the examples the resource types ship with. */
export function examplesOf(types: readonly ResourceType[]) {
  return (id: string): Record<string, unknown> | undefined => {
    for (const t of types) {
      if (t.schema.$id === id || t.createSchema?.$id === id) return t.examples?.[0] === undefined ? undefined : { ...t.examples[0] }
      const action = t.machine.actions.find((a) => a.input === id)
      const input = action === undefined ? undefined : t.exampleInputs?.[action.name]
      if (input !== undefined) return { ...input }
    }
    return undefined
  }
}
