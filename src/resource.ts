import { readFileSync } from 'node:fs'
import type { Machine, Principal } from './fsm/types.ts'
import type { Hooks } from './hooks.ts'
import type { Choice } from '../representors/types.ts'
import { searchFields, type QueryKind, type SearchField } from './search/declare.ts'

/**
 * The values a field accepts from a caller, offered in every form and the only ones admitted.
 * A pure function of the caller, like a guard: representations (and their ETags) assume so.
 */
export type FieldOptions = (principal: Principal) => readonly Choice[]

/** A JSON Schema (2020-12) as a plain object; `$id` names it. */
export type JsonSchema = Readonly<Record<string, unknown>> & { readonly $id?: string }

/** Who may do what with a resource type beyond its machine's actions. */
export interface ResourcePolicy {
  /** Roles that may list and read resources of this type (within their tenant). */
  readonly view: readonly string[]
  /** Roles that may create one. */
  readonly create: readonly string[]
  /** When set, a resource is visible only to its owner and to these roles. */
  readonly ownerOnly?: { readonly except: readonly string[] }
}

/** Everything the framework needs to serve one resource type. */
export interface ResourceSpec {
  /** Singular name, also the machine diagram's name: `bookmark`. */
  readonly name: string
  /** Collection path segment: `bookmarks`. */
  readonly collection: string
  /** JSON Schema of the stored data (closed: no `state`, `version` or `id`). */
  readonly schema: JsonSchema
  /** JSON Schema of a create request; defaults to `schema`. */
  readonly createSchema?: JsonSchema
  /** Schemas the machine's actions name by `$id` in their `input`. */
  readonly inputs?: readonly JsonSchema[]
  readonly machine: Machine
  /** Name under which the state appears in `data` (default `state`). */
  readonly stateField?: string
  readonly policy: ResourcePolicy
  /** Transitions require `If-Match` (428 without one). */
  readonly requirePreconditions?: boolean
  /** How an action's input changes the data; defaults to a shallow merge. */
  readonly apply?: (data: Readonly<Record<string, unknown>>, action: string, input: Readonly<Record<string, unknown>>) => Record<string, unknown>
  /** A short label for a resource in lists and page titles. */
  readonly label?: (data: Readonly<Record<string, unknown>>) => string
  /** Overrides of the decision graph's hooks for this type. */
  readonly hooks?: Partial<Hooks>
  /** Fields whose values come from a list per caller, by action name (`create` for creation), then field name. */
  readonly options?: Readonly<Record<string, Readonly<Record<string, FieldOptions>>>>
  /** Data fields a list may be filtered on: `equals` (strings, enums) or `range` (numbers, date-times); the state always may. */
  readonly query?: Readonly<Record<string, QueryKind>>
  /** Example create bodies, used by the explorer and seeding. */
  readonly examples?: readonly Readonly<Record<string, unknown>>[]
  /** Example inputs per action, used by generic tests and the explorer. */
  readonly exampleInputs?: Readonly<Record<string, Readonly<Record<string, unknown>>>>
}

/** A resource type ready to be served. */
export interface ResourceType extends ResourceSpec {
  readonly stateField: string
  readonly createSchema: JsonSchema
  readonly inputs: readonly JsonSchema[]
  /** What a list may be filtered on: the state first, then the declared fields. */
  readonly search: readonly SearchField[]
}

/** Declares a resource type; checks what can be checked without the app. */
export function defineResource(spec: ResourceSpec): ResourceType {
  const fail = (why: string): never => {
    throw new Error(`resource "${spec.name}": ${why}`)
  }
  if (!/^[a-z][a-z0-9-]*$/.test(spec.collection)) fail(`collection "${spec.collection}" must be a lower-case path segment`)
  if (['machines', 'schemas', 'health', 'ready', 'problems', 'session'].includes(spec.collection)) fail(`collection "${spec.collection}" is reserved`)
  if (spec.schema.$id === undefined) fail('its data schema needs a "$id"')
  const ids = new Set((spec.inputs ?? []).map((s) => s.$id))
  for (const a of spec.machine.actions) {
    if (a.input !== undefined && !ids.has(a.input)) fail(`action "${a.name}" names input schema "${a.input}", which is not among its inputs`)
  }
  for (const [action, fields] of Object.entries(spec.options ?? {})) {
    const id = action === 'create' ? undefined : spec.machine.actions.find((a) => a.name === action)?.input
    const schema = action === 'create' ? spec.createSchema ?? spec.schema : spec.inputs?.find((s) => s.$id === id)
    if (schema === undefined) fail(`options name action "${action}", which takes no input`)
    const props = (schema?.properties ?? {}) as Record<string, unknown>
    for (const field of Object.keys(fields)) if (!Object.hasOwn(props, field)) fail(`options name field "${field}", which action "${action}" does not take`)
  }
  const stateField = spec.stateField ?? 'state'
  return {
    ...spec,
    stateField,
    search: searchFields(spec.name, spec.schema, stateField, spec.machine.states, spec.query ?? {}),
    createSchema: spec.createSchema ?? spec.schema,
    inputs: spec.inputs ?? [],
  }
}

/** Reads a JSON Schema file. */
export function loadSchema(file: URL | string): JsonSchema {
  return JSON.parse(readFileSync(file, 'utf8')) as JsonSchema
}
