import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
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
  const ajv = new Ajv2020({ allErrors: true, strict: true })
  // RFC 3339 and RFC 3986 as written ("full" mode): 31 February is no date, a zone is required.
  addFormats.default(ajv, { mode: 'full' })
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
