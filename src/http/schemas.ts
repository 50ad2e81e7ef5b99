import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { ResourceType, JsonSchema } from '../resource.ts'
import { fieldsOf, type Field } from '../../representors/fields.ts'

/** One reason a body failed its schema, with the JSON Pointer of the offending value. */
export interface Issue {
  readonly path: string
  readonly keyword: string
  readonly message: string
}

/** At most `maxIssues` issues are listed; `omitted` counts the rest, when they were counted. */
type Validation = { readonly ok: true } | { readonly ok: false; readonly issues: readonly Issue[]; readonly omitted?: number }

/** Issues a 422 lists: enough to fix a form, too few to make the answer dearer than the request. */
export const maxIssues = 20

// Above this many values a body is checked up to its first issue only: listing every issue of
// 8,000 unknown fields costs more than the request did (ajv cannot stop after n errors).
const listAllUpTo = 1000

// A field name is the client's own text: echo the start of it only.
const capPath = (path: string): string => (path.length > 200 ? `${path.slice(0, 200)}…` : path)

/** A resource type's schemas, compiled once at start-up. */
export interface CompiledType {
  readonly createSchema: JsonSchema
  readonly create: (value: unknown) => Validation
  readonly inputs: ReadonlyMap<string, (value: unknown) => Validation>
  readonly inputSchemas: ReadonlyMap<string, JsonSchema>
  /** The fields of each action's form (and `create`'s), by which a form post is read back. */
  readonly formFields: ReadonlyMap<string, readonly Field[]>
}

const toIssue = (e: ErrorObject): Issue => {
  const missing = e.keyword === 'required' ? `/${String((e.params as { missingProperty: string }).missingProperty)}` : ''
  const extra = e.keyword === 'additionalProperties' ? `/${String((e.params as { additionalProperty: string }).additionalProperty)}` : ''
  const message = e.keyword === 'additionalProperties' ? 'is not a field that can be set' : e.keyword === 'required' ? 'is required' : (e.message ?? 'is invalid')
  return { path: capPath(`${e.instancePath}${missing}${extra}`), keyword: e.keyword, message }
}

/** Counts the values in a parsed body, stopping once there are more than `limit`. */
function moreValuesThan(value: unknown, limit: number): boolean {
  let count = 0
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (++count > limit) return true
    if (typeof v === 'object' && v !== null) for (const child of Object.values(v)) stack.push(child)
  }
  return false
}

/** Checks with `first` (stops at the first error); lists up to `maxIssues` with `all` when the body is small enough. */
const wrap = (all: ValidateFunction, first: ValidateFunction): ((value: unknown) => Validation) => (value) => {
  if (first(value)) return { ok: true }
  const large = moreValuesThan(value, listAllUpTo)
  const errors = (large ? first.errors : (all(value), all.errors)) ?? []
  const issues = errors.slice(0, maxIssues).map(toIssue)
  return large ? { ok: false, issues } : { ok: false, issues, omitted: errors.length - issues.length }
}

/** Two validators of the same schemas: one lists every error, one stops at the first. */
export interface SchemaCompilers {
  readonly all: Ajv2020
  readonly first: Ajv2020
}

const newAjv = (allErrors: boolean): Ajv2020 => {
  const ajv = new Ajv2020({ allErrors, strict: true })
  // RFC 3339 and RFC 3986 as written ("full" mode): 31 February is no date, a zone is required.
  addFormats.default(ajv, { mode: 'full' })
  return ajv
}

/** Creates the validators shared by every resource type of an app. */
export function createAjv(): SchemaCompilers {
  return { all: newAjv(true), first: newAjv(false) }
}

/** Compiles every schema a resource type uses; throws at start-up on a bad schema. */
export function compileType(ajv: SchemaCompilers, type: ResourceType): CompiledType {
  const compileWith = (instance: Ajv2020, schema: JsonSchema): ValidateFunction => (schema.$id !== undefined ? instance.getSchema(schema.$id) : undefined) ?? instance.compile(schema)
  const compile = (schema: JsonSchema): ((value: unknown) => Validation) => wrap(compileWith(ajv.all, schema), compileWith(ajv.first, schema))
  compile(type.schema)
  const create = compile(type.createSchema)
  const byId = new Map(type.inputs.map((s) => [s.$id, s]))
  const inputs = new Map<string, (value: unknown) => Validation>()
  const inputSchemas = new Map<string, JsonSchema>()
  const formFields = new Map<string, readonly Field[]>([['create', fieldsOf(type.createSchema)]])
  for (const action of type.machine.actions) {
    if (action.input === undefined) continue
    const schema = byId.get(action.input)
    if (schema === undefined) throw new Error(`resource "${type.name}": no schema "${action.input}" for action "${action.name}"`)
    inputs.set(action.name, compile(schema))
    inputSchemas.set(action.name, schema)
    formFields.set(action.name, fieldsOf(schema))
  }
  return { createSchema: type.createSchema, create, inputs, inputSchemas, formFields }
}
