import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import type { ResourceType, JsonSchema } from '../resource.ts'

/** One reason a body failed its schema, with the JSON Pointer of the offending value. */
export interface Issue {
  readonly path: string
  readonly keyword: string
  readonly message: string
}

export type Validation = { readonly ok: true } | { readonly ok: false; readonly issues: readonly Issue[] }

/** A resource type's schemas, compiled once at start-up. */
export interface CompiledType {
  readonly createSchema: JsonSchema
  readonly create: (value: unknown) => Validation
  readonly inputs: ReadonlyMap<string, (value: unknown) => Validation>
  readonly inputSchemas: ReadonlyMap<string, JsonSchema>
  /** Fields an HTML form must send as numbers, per action (and `create`). */
  readonly numericFields: ReadonlyMap<string, ReadonlySet<string>>
}

const toIssue = (e: ErrorObject): Issue => {
  const missing = e.keyword === 'required' ? `/${String((e.params as { missingProperty: string }).missingProperty)}` : ''
  const extra = e.keyword === 'additionalProperties' ? `/${String((e.params as { additionalProperty: string }).additionalProperty)}` : ''
  const message = e.keyword === 'additionalProperties' ? 'is not a field that can be set' : e.keyword === 'required' ? 'is required' : (e.message ?? 'is invalid')
  return { path: `${e.instancePath}${missing}${extra}`, keyword: e.keyword, message }
}

const wrap = (fn: ValidateFunction): ((value: unknown) => Validation) => (value) =>
  fn(value) ? { ok: true } : { ok: false, issues: (fn.errors ?? []).map(toIssue) }

const numericOf = (schema: JsonSchema): Set<string> => {
  const props = (schema.properties ?? {}) as Record<string, { type?: unknown }>
  return new Set(Object.entries(props).filter(([, p]) => p.type === 'number' || p.type === 'integer').map(([k]) => k))
}

/** Creates the validator shared by every resource type of an app. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, formats: {} })
  // Formats the demo schemas use, checked without a formats dependency.
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) && /^[a-z][a-z0-9+.-]*:/i.test(s) })
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)) })
  return ajv
}

/** Compiles every schema a resource type uses; throws at start-up on a bad schema. */
export function compileType(ajv: Ajv2020, type: ResourceType): CompiledType {
  const compile = (schema: JsonSchema): ValidateFunction => (schema.$id !== undefined ? ajv.getSchema(schema.$id) : undefined) ?? ajv.compile(schema)
  compile(type.schema)
  const create = compile(type.createSchema)
  const byId = new Map(type.inputs.map((s) => [s.$id, s]))
  const inputs = new Map<string, (value: unknown) => Validation>()
  const inputSchemas = new Map<string, JsonSchema>()
  const numericFields = new Map<string, ReadonlySet<string>>([['create', numericOf(type.createSchema)]])
  for (const action of type.machine.actions) {
    if (action.input === undefined) continue
    const schema = byId.get(action.input)
    if (schema === undefined) throw new Error(`resource "${type.name}": no schema "${action.input}" for action "${action.name}"`)
    inputs.set(action.name, wrap(compile(schema)))
    inputSchemas.set(action.name, schema)
    numericFields.set(action.name, numericOf(schema))
  }
  return { createSchema: type.createSchema, create: wrap(create), inputs, inputSchemas, numericFields }
}
