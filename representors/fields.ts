import type { Choice, Schema } from './types.ts'

/**
 * One input of an action, read from its JSON Schema: the one model every form-oriented format
 * renders (HAL-FORMS, Siren, HTML) and the server reads form posts back by.
 */
export interface Field {
  readonly name: string
  readonly title?: string
  readonly description?: string
  /** An HTML input type (`text`, `number`, `checkbox`, `url`, `datetime-local`, …). */
  readonly inputType: string
  readonly required: boolean
  readonly integer: boolean
  /** An array or object: no input control holds one, so a form sends it as JSON text. */
  readonly json: boolean
  readonly min?: number
  readonly max?: number
  readonly minLength?: number
  readonly maxLength?: number
  readonly pattern?: string
  /** The only values the field takes: a schema `enum`, or the choices offered to this caller. */
  readonly options?: readonly Choice[]
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

// HTML input types are what both HAL-FORMS and Siren name their field types after.
function inputTypeOf(p: Schema): string {
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

// Choices carry strings and numbers; an enum of other values (`[true]`) is left to its type's control.
function enumChoices(p: Schema): Choice[] | undefined {
  if (!Array.isArray(p.enum)) return undefined
  const values = (p.enum as unknown[]).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
  return values.length === 0 ? undefined : values.map((value) => ({ value }))
}

/** One field of an object schema's property, with the choices offered for it when there are some. */
function fieldOf(name: string, p: Schema, required: boolean, offered: readonly Choice[] | undefined): Field {
  const title = str(p.title)
  const description = str(p.description)
  const min = num(p.minimum)
  const max = num(p.maximum)
  const minLength = num(p.minLength)
  const maxLength = num(p.maxLength)
  const pattern = str(p.pattern)
  const options = offered ?? enumChoices(p)
  return {
    name,
    inputType: options === undefined ? inputTypeOf(p) : 'radio',
    required,
    integer: p.type === 'integer',
    json: options === undefined && (p.type === 'array' || p.type === 'object'),
    ...(title !== undefined && { title }),
    ...(description !== undefined && { description }),
    ...(min !== undefined && { min }),
    ...(max !== undefined && { max }),
    ...(minLength !== undefined && { minLength }),
    ...(maxLength !== undefined && { maxLength }),
    ...(pattern !== undefined && { pattern }),
    ...(options !== undefined && { options }),
  }
}

/** The fields of an object schema, in declaration order, with the choices offered for some; an action without input has none. */
export function fieldsOf(schema: Schema | undefined, offered?: Readonly<Record<string, readonly Choice[]>>): Field[] {
  if (schema === undefined) return []
  const props = (schema.properties ?? {}) as Record<string, Schema>
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]).map(String) : []
  return Object.entries(props).map(([name, p]) => fieldOf(name, p, required.includes(name), offered?.[name]))
}
