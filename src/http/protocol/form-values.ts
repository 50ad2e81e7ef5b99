import type { Field } from '../../../representors/fields.ts'
import { jsonDepth } from './body.ts'

// What <input type="datetime-local"> sends: a date and time with no zone.
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/

/** JSON text as its value, when it parses within the depth limit; else the text, for the schema to refuse. */
function jsonOrText(raw: string, maxDepth: number): unknown {
  if (jsonDepth(raw) > maxDepth) return raw
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return raw
  }
}

/** One form value read as its field's type; a value that is not one stays text, for the schema to refuse with the field's name. */
function valueOf(f: Field, raw: string, maxDepth: number): unknown {
  const chosen = f.options?.find((c) => String(c.value) === raw)
  if (chosen !== undefined) return chosen.value
  switch (f.inputType) {
    case 'number': {
      const n = Number(raw)
      return raw.trim() !== '' && Number.isFinite(n) ? n : raw
    }
    case 'checkbox': return raw === 'true' ? true : raw === 'false' ? false : raw
    // The explorer labels these as UTC, so that they satisfy `format: date-time`.
    case 'datetime-local': return LOCAL.test(raw) ? `${raw}${raw.length === 16 ? ':00' : ''}Z` : raw
    default: return f.json ? jsonOrText(raw, maxDepth) : raw
  }
}

/**
 * An HTML form's values read back by the same field model the forms were drawn from: numbers,
 * choices, booleans (an unticked box sends nothing and means false), zone-less date-times as
 * UTC, arrays and objects as JSON text. Fields the form does not know are left as sent.
 */
export function formInput(fields: readonly Field[], values: Readonly<Record<string, string>>, maxDepth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values }
  for (const f of fields) {
    const raw = values[f.name]
    if (raw !== undefined) out[f.name] = valueOf(f, raw, maxDepth)
    else if (f.inputType === 'checkbox') out[f.name] = false
  }
  return out
}
