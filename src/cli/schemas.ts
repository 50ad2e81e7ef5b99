import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { schemaFiles } from '../contracts/schema-files.ts'
import type { ResourceType } from '../resource.ts'

/** Writes the schema files into `dir`; returns their names. */
export function exportSchemas(types: readonly ResourceType[], dir: string): string[] {
  mkdirSync(dir, { recursive: true })
  const files = schemaFiles(types)
  for (const [name, doc] of files) writeFileSync(join(dir, name), `${JSON.stringify(doc, null, 2)}\n`)
  return [...files.keys()]
}
