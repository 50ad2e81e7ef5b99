import type { Principal } from '../../fsm/types.ts'
import type { ResourceType } from '../../resource.ts'
import type { Choice } from '../../../representors/types.ts'
import type { Issue } from '../schemas.ts'

type Offered = Readonly<Record<string, readonly Choice[]>>

// Per caller and per type and action: a page of items asks the same question once per item.
const memo = new WeakMap<Principal, Map<string, Offered | undefined>>()

/** The choices a caller is offered for an action's fields (`create` for creation); undefined when the action has none. */
export function offeredTo(type: ResourceType, action: string, principal: Principal | undefined): Offered | undefined {
  const fields = type.options?.[action]
  if (fields === undefined || principal === undefined) return undefined
  let mine = memo.get(principal)
  if (mine === undefined) {
    mine = new Map()
    memo.set(principal, mine)
  }
  const key = `${type.name}\n${action}`
  if (mine.has(key)) return mine.get(key)
  const offered = Object.fromEntries(Object.entries(fields).map(([field, options]) => [field, options(principal)]))
  mine.set(key, offered)
  return offered
}

const SHOWN = 10

/** An issue for each field whose value is not among those offered: the same list the forms show. */
export function unofferedValues(offered: Offered | undefined, input: unknown): Issue[] {
  if (offered === undefined || typeof input !== 'object' || input === null) return []
  const values = input as Readonly<Record<string, unknown>>
  const issues: Issue[] = []
  for (const [field, choices] of Object.entries(offered)) {
    const value = values[field]
    if (value === undefined || choices.some((c) => c.value === value)) continue
    const listed = choices.slice(0, SHOWN).map((c) => String(c.value)).join(', ')
    const more = choices.length > SHOWN ? ', …' : ''
    const message = choices.length === 0 ? 'has no value you may choose' : `must be one of the values offered to you: ${listed}${more}`
    issues.push({ path: `/${field}`, keyword: 'enum', message })
  }
  return issues
}
