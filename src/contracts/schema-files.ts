import type { JsonSchema, ResourceType } from '../resource.ts'
import { envelopeSchemas } from './envelopes.ts'
import { allContracts } from './generate.ts'

/** The file name of a type's data schema, which its resources link as `describedby`. */
export const dataSchemaFile = (type: Pick<ResourceType, 'name'>): string => `${type.name}.json`

/** The file name of a type's own create schema: named by the type, since its `$id` is optional and may say anything. */
const createSchemaFile = (type: Pick<ResourceType, 'name'>): string => `${type.name}-create.json`

/** The file name of an action's input schema: the last segment of the `$id` actions name it by. */
const inputSchemaFile = (schema: JsonSchema): string | undefined => schema.$id?.replace(/^.*\//, '')

/** Where the server serves a schema file, under the path the app is mounted at. */
export const schemaHref = (file: string, base = ''): string => `${base}/schemas/${file}`

/**
 * Every schema document by file name: what the server serves at `/schemas/<file>` and what
 * `npm run schemas` writes. Throws (at start-up) when two different documents claim one name.
 */
export function schemaFiles(types: readonly ResourceType[]): Map<string, unknown> {
  const files = new Map<string, unknown>()
  const add = (file: string, doc: unknown): void => {
    const had = files.get(file)
    if (had !== undefined && had !== doc && JSON.stringify(had) !== JSON.stringify(doc)) throw new Error(`two different schemas would be served as ${schemaHref(file)}`)
    files.set(file, doc)
  }
  for (const [file, doc] of envelopeSchemas()) add(file, doc)
  for (const t of types) {
    add(dataSchemaFile(t), t.schema)
    if (t.createSchema !== t.schema) add(createSchemaFile(t), t.createSchema)
    for (const s of t.inputs) {
      const file = inputSchemaFile(s)
      if (file !== undefined) add(file, s)
    }
  }
  for (const [file, doc] of allContracts(types)) add(file, doc)
  return files
}
