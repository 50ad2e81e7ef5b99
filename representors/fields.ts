import type { Choice, Schema } from './types.ts'

/** One input of an action, read from its JSON Schema: what form-oriented formats need. */
export interface Field {
  readonly name: string
  readonly title?: string
  /** An HTML input type (`text`, `number`, `url`, `datetime-local`, …). */
  readonly inputType: string
  readonly required: boolean
  readonly integer: boolean
  readonly min?: number
  readonly max?: number
  readonly minLength?: number
  readonly maxLength?: number
  readonly pattern?: string
  /** The only values the field takes: a schema `enum`, or the choices offered to this caller. */
  readonly options?: readonly Choice[]
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

// HTML input types are what both HAL-FORMS and Siren name their field types after.
function inputTypeOf(p: Schema): string {
  if (Array.isArray(p.enum)) return 'radio'
  if (p.type === 'number' || p.type === 'integer') return 'number'
  if (p.type === 'boolean') return 'checkbox'
  switch (p.format) {
    case 'uri': return 'url'
    case 'email': return 'email'
    case 'date-time': return 'datetime-local'
    case 'date': return 'date'
    default: return 'text'
  }
}

const enumChoices = (p: Schema): Choice[] | undefined =>
  Array.isArray(p.enum) ? (p.enum as unknown[]).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map((value) => ({ value })) : undefined

/** The fields of an object schema, in declaration order, with the choices offered for some; an action without input has none. */
export function fieldsOf(schema: Schema | undefined, offered?: Readonly<Record<string, readonly Choice[]>>): Field[] {
  if (schema === undefined) return []
  const props = (schema.properties ?? {}) as Record<string, Schema>
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : []
  return Object.entries(props).map(([name, p]) => {
    const title = str(p.title)
    const min = num(p.minimum)
    const max = num(p.maximum)
    const minLength = num(p.minLength)
    const maxLength = num(p.maxLength)
    const pattern = str(p.pattern)
    const options = offered?.[name] ?? enumChoices(p)
    return {
      name,
      inputType: options === undefined ? inputTypeOf(p) : 'radio',
      required: required.includes(name),
      integer: p.type === 'integer',
      ...(title !== undefined && { title }),
      ...(min !== undefined && { min }),
      ...(max !== undefined && { max }),
      ...(minLength !== undefined && { minLength }),
      ...(maxLength !== undefined && { maxLength }),
      ...(pattern !== undefined && { pattern }),
      ...(options !== undefined && { options }),
    }
  })
}
