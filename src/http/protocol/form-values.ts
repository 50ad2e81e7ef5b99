import type { JsonSchema } from '../../resource.ts'
import type { CompiledType } from '../schemas.ts'

// What <input type="datetime-local"> sends: a date and time with no zone.
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/

/**
 * Reads the zone-less values of date-time fields sent by an HTML form as UTC
 * (the explorer labels them so), so that they satisfy `format: date-time`.
 */
export function utcDateTimes(compiled: CompiledType | undefined, action: string | undefined, fields: Record<string, unknown>): Record<string, unknown> {
  const schema: JsonSchema | undefined = action === undefined ? compiled?.createSchema : compiled?.inputSchemas.get(action)
  const props = (schema?.properties ?? {}) as Readonly<Record<string, { format?: unknown }>>
  const out = { ...fields }
  for (const [name, value] of Object.entries(fields)) {
    if (props[name]?.format !== 'date-time' || typeof value !== 'string' || !LOCAL.test(value)) continue
    out[name] = `${value}${value.length === 16 ? ':00' : ''}Z`
  }
  return out
}
