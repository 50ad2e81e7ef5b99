import type { Action } from '../fsm/types.ts'
import type { ResourceType } from '../resource.ts'
import { everyViewerMay } from '../auth/policy.ts'
import type { Schema } from '../../representors/types.ts'
import { contractFormats, type ContractFormat } from './formats.ts'

/**
 * `any`: what holds for every caller — actions the state forbids are absent, and an action
 * is required only when every role that may view the resource may take it and no guard can
 * hide it. `exact`: a caller holding every role whom every guard admits (an admin) sees
 * exactly the actions the state allows.
 */
export type ContractScope = 'any' | 'exact'

const SCHEMA_BASE = 'https://affordance.dev/schemas/'

/** File name (and `/schemas/` path segment) of one contract. */
export const contractName = (type: string, format: string, scope: ContractScope = 'any'): string =>
  `${type}-${format}${scope === 'exact' ? '-exact' : ''}-contract.json`

// No guard can hide it, and policy.ts says every viewer may take it.
const offeredToEveryViewer = (type: ResourceType, action: Action): boolean => action.guard === undefined && everyViewerMay(type, action)

/** The contract schema of one resource type in one format: which actions exist in each state. */
export function contractSchema(type: ResourceType, format: ContractFormat, scope: ContractScope = 'any'): Schema {
  const m = type.machine
  const rules: Schema[] = m.states.map((state) => {
    const allowed = m.outgoing.get(state) ?? []
    const required = allowed.filter((a) => scope === 'exact' || offeredToEveryViewer(type, a)).map((a) => a.name)
    const forbidden = m.actions.filter((a) => !allowed.some((b) => b.name === a.name)).map((a) => a.name)
    const then: Schema[] = []
    if (required.length > 0) then.push(format.has(required))
    if (forbidden.length > 0) then.push(format.lacks(forbidden))
    return { $comment: `${state}: must offer [${required.join(', ')}]; must not offer [${forbidden.join(', ')}]`, if: format.inState(type.stateField, state), then: then.length === 0 ? {} : { allOf: then } }
  })
  const name = contractName(type.name, format.name, scope)
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE}${name}`,
    title: `${type.name} in ${format.mediaType}: action links per state${scope === 'exact' ? ' (caller allowed everything)' : ''}`,
    description: scope === 'exact'
      ? `For a caller holding every role whom every guard admits: in each state of the "${m.name}" machine the representation offers exactly the actions that state allows.`
      : `For any caller: in each state of the "${m.name}" machine the representation never offers an action that state forbids, and always offers those every viewer may take. Callers may see fewer actions than the state allows (roles, guards).`,
    $defs: { resource: { allOf: [format.stateIn(type.stateField, m.states), ...rules] } },
    if: format.isCollection,
    then: format.eachItem({ $ref: '#/$defs/resource' }),
    else: { $ref: '#/$defs/resource' },
  }
}

/** Every contract of every type in every format, by file name. */
export function allContracts(types: readonly ResourceType[]): Map<string, Schema> {
  const out = new Map<string, Schema>()
  for (const type of types) {
    for (const format of contractFormats) {
      for (const scope of ['any', 'exact'] as const) out.set(contractName(type.name, format.name, scope), contractSchema(type, format, scope))
    }
  }
  return out
}
