import { readFileSync } from 'node:fs'
import type { Schema } from '../../representors/types.ts'

const dir = new URL('../../schemas/representors/', import.meta.url)

/** The envelope schema files of the built-in formats (`siren.schema.json` is the published Siren schema). */
const envelopeFiles = ['restful-json.json', 'hal-forms.json', 'siren.json', 'siren.schema.json'] as const

/** Each format's envelope schema, by file name, read once. */
export function envelopeSchemas(): Map<string, Schema> {
  return new Map(envelopeFiles.map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Schema]))
}

/** The envelope files a body of this media type must satisfy. */
export const envelopesFor = (mediaType: string): readonly string[] => {
  switch (mediaType) {
    case 'application/json': return ['restful-json.json']
    case 'application/hal+json':
    case 'application/prs.hal-forms+json': return ['hal-forms.json']
    case 'application/vnd.siren+json': return ['siren.json', 'siren.schema.json']
    default: return []
  }
}
