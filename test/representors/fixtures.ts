import type { ResourceView, Schema } from '../../representors/types.ts'
import type { Principal } from '../../src/fsm/types.ts'
import { compileType, createAjv } from '../../src/http/schemas.ts'
import { resourceView } from '../../src/http/views/views.ts'
import { legalActions } from '../../src/legal-actions.ts'
import type { ResourceType } from '../../src/resource.ts'
import { bookmark, visit } from '../../src/resources/index.ts'

export const types: readonly ResourceType[] = [bookmark, visit]
const admin: Principal = { id: 'north-admin', name: 'Admin', tenant: 'north', roles: ['admin'] }
const ajv = createAjv()
const compiled = new Map(types.map((t) => [t.name, compileType(ajv, t)]))

/** A resource of `type` in `state` as `principal` would see it, without a server. */
export function fixture(type: ResourceType, state: string, principal: Principal = admin, data: Record<string, unknown> = { ...type.examples?.[0], clinician_id: 'north-clinician-1' }): ResourceView {
  const row = { seq: 1, id: `${type.name}-0001`, type: type.name, tenant: 'north', owner: principal.id, state, data, version: 3, created_at: 0, updated_at: 0 }
  return resourceView('', type, compiled.get(type.name) as ReturnType<typeof compileType>, row, legalActions(type, row, principal))
}

/** What the machine allows from a state, read from the definition rather than from `availableActions`. */
export const allowedIn = (type: ResourceType, state: string): string[] => type.machine.actions.filter((a) => a.from.includes(state)).map((a) => a.name)

/** The input schema an action declares, looked up by `$id`. */
export const inputOf = (type: ResourceType, action: string): Schema | undefined => {
  const id = type.machine.byName.get(action)?.input
  return id === undefined ? undefined : type.inputs.find((s) => s.$id === id)
}

/** Property names of an object schema, in order. */
export const propertyNames = (schema: Schema | undefined): string[] => Object.keys((schema?.properties ?? {}) as object)
