import type { Action, Principal } from '../fsm/types.ts'
import type { JsonSchema, ResourceType } from '../resource.ts'
import { after } from '../awaitable.ts'
import type { Awaitable, Store } from '../store/types.ts'

const holdsOne = (principal: Principal | undefined, roles: readonly string[]): boolean => principal?.roles.some((r) => roles.includes(r)) ?? false

/** Whether a caller's roles may list and read resources of this type (within their tenant). */
export const canView = (type: ResourceType, principal: Principal | undefined): boolean => holdsOne(principal, type.policy.view)

/** Whether a caller's roles may create a resource of this type. */
export const canCreate = (type: ResourceType, principal: Principal | undefined): boolean => holdsOne(principal, type.policy.create)

/** Whether every caller who may view this type holds a role that may take this action (the guard aside). */
export const everyViewerMay = (type: ResourceType, action: Action): boolean => {
  const roles = action.roles ?? []
  return roles.includes('*') || type.policy.view.every((r) => roles.includes(r))
}

/** The owner a caller's view of this type is narrowed to: their own id where the type is owner-only and no role of theirs is excepted, else undefined (all of the tenant). */
export function ownerScope(type: ResourceType, principal: Principal): string | undefined {
  const ownerOnly = type.policy.ownerOnly
  return ownerOnly === undefined || holdsOne(principal, ownerOnly.except) ? undefined : principal.id
}

/** Whether a caller may see a resource at all: same tenant, a viewing role and, where the type is owner-only, theirs or excepted. */
export function canSee(type: ResourceType, principal: Principal, row: { tenant: string; owner: string | null }): boolean {
  if (row.tenant !== principal.tenant || !canView(type, principal)) return false
  const owner = ownerScope(type, principal)
  return owner === undefined || row.owner === owner
}

/** Fields the server owns: no request body may set them (mass assignment). */
const RESERVED_FIELDS = ['id', 'state', 'version', 'tenant', 'owner', 'created_at', 'updated_at'] as const

const isRoleList = (v: unknown): v is readonly string[] => Array.isArray(v) && v.every((r) => typeof r === 'string' && r !== '')

/**
 * Deny by default, checked at start-up: every action names the roles that may take it,
 * the type names who may view and create it, and no input schema lets a client set a
 * field the server owns. Throws (a programmer error) with the first gap found.
 */
export function assertPolicy(type: ResourceType): void {
  const fail = (why: string): never => {
    throw new Error(`resource "${type.name}": ${why}`)
  }
  for (const [state, actions] of type.machine.outgoing) {
    for (const a of actions) if (!isRoleList(a.roles) || a.roles.length === 0) fail(`action "${a.name}" has no roles from state "${state}"; say who may take it`)
  }
  const policy = (type as { policy?: ResourceType['policy'] }).policy
  if (policy === undefined) fail('it has no policy; say who may view and create it')
  else {
    if (!isRoleList(policy.view) || policy.view.length === 0) fail('no role may view it; list the roles in policy.view')
    if (!isRoleList(policy.create)) fail('policy.create must list the roles that may create it (an empty list means none)')
    if (policy.ownerOnly !== undefined && !isRoleList(policy.ownerOnly.except)) fail('policy.ownerOnly.except must be a list of roles')
  }
  const reserved = new Set<string>([...RESERVED_FIELDS, type.stateField])
  const check = (schema: JsonSchema, what: string): void => {
    if (schema.additionalProperties !== false && schema.unevaluatedProperties !== false) fail(`${what} schema must be closed ("additionalProperties": false) so that clients cannot set server fields`)
    const names = Object.keys((schema.properties ?? {}) as Record<string, unknown>)
    const clash = names.find((n) => reserved.has(n))
    if (clash !== undefined) fail(`${what} schema lets clients set "${clash}", which the server owns`)
  }
  check(type.createSchema, 'the create')
  for (const a of type.machine.actions) {
    const schema = a.input === undefined ? undefined : type.inputs.find((s) => s.$id === a.input)
    if (schema !== undefined) check(schema, `action "${a.name}"'s input`)
  }
}

/** Every role the resource types name, for actions, viewing, creating or seeing others' resources; sorted. */
export function declaredRoles(types: readonly ResourceType[]): string[] {
  const roles = new Set<string>()
  for (const t of types) {
    for (const a of t.machine.actions) a.roles?.forEach((r) => roles.add(r))
    for (const r of [...t.policy.view, ...t.policy.create, ...(t.policy.ownerOnly?.except ?? [])]) roles.add(r)
  }
  return [...roles].sort()
}

// The meta key under which an app, when it starts, records the roles its types use.
const ROLES_KEY = 'roles'

/** Records the roles an app's resource types use, so that tools working on the database alone (the token command) can check against them. */
export function recordRoles(store: Store, types: readonly ResourceType[]): Awaitable<void> {
  const roles = JSON.stringify(declaredRoles(types))
  return after(store.meta(ROLES_KEY), (recorded) => (recorded === roles ? undefined : store.setMeta(ROLES_KEY, roles)))
}

/** The roles recorded by the app that last served this database, or undefined when none has. */
export async function recordedRoles(store: Store): Promise<readonly string[] | undefined> {
  const raw = await store.meta(ROLES_KEY)
  return raw === undefined ? undefined : (JSON.parse(raw) as string[])
}
