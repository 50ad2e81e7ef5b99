import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { allContracts } from '../contracts/generate.ts'
import { envelopeSchemas } from '../contracts/envelopes.ts'
import type { ResourceType } from '../resource.ts'

/** Every schema a client needs to test representations: the data schemas, each format's envelope, each type's contracts. */
export function schemaFiles(types: readonly ResourceType[]): Map<string, unknown> {
  const files = new Map<string, unknown>(envelopeSchemas())
  for (const t of types) {
    files.set(`${t.name}.json`, t.schema)
    for (const s of t.inputs) if (s.$id !== undefined) files.set(s.$id.replace(/^.*\//, ''), s)
    if (t.createSchema !== t.schema && t.createSchema.$id !== undefined) files.set(t.createSchema.$id.replace(/^.*\//, ''), t.createSchema)
  }
  for (const [name, doc] of allContracts(types)) files.set(name, doc)
  return files
}

/** Writes the schema files into `dir`; returns their names. */
export function exportSchemas(types: readonly ResourceType[], dir: string): string[] {
  mkdirSync(dir, { recursive: true })
  const files = schemaFiles(types)
  for (const [name, doc] of files) writeFileSync(join(dir, name), `${JSON.stringify(doc, null, 2)}\n`)
  return [...files.keys()]
}
