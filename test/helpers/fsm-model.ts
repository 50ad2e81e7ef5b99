import type { ResourceType } from '../../src/index.ts'
import { bookmark, demoUsers, visit } from '../../src/resources/index.ts'
import type { DemoUser } from '../../src/resources/seed.ts'

// An independent model of what the server must answer, written from the machine
// definitions (states, edges, roles) and the demo types' stated policies; it never
// calls the server's decision functions, so a disagreement means one of them is wrong.

/** What the model knows of one resource. */
export interface ModelResource {
  readonly type: ResourceType
  readonly url: string
  readonly tenant: string
  readonly owner: string
  state: string
  version: number
  data: Record<string, unknown>
  /** The actions taken, in order, starting with "create". */
  readonly log: string[]
  /** An entity tag the server sent for each version seen, by version. */
  readonly tags: Map<number, string>
}

/** How a transition request states its precondition. */
export type Precondition = 'fresh' | 'stale' | 'none' | 'star'

/** The model's prediction: a status, and on success the state the resource moves to. */
export type Expected = { readonly status: 200; readonly to: string } | { readonly status: 403 | 404 | 409 | 412 | 422 | 428 }

export const userOf = (id: string): DemoUser => {
  const user = demoUsers.find((u) => u.id === id)
  if (user === undefined) throw new Error(`no demo user ${id}`)
  return user
}

const has = (user: DemoUser, roles: readonly string[]): boolean => user.roles.some((r) => roles.includes(r))

/** Visits: dispatchers, clinicians and admins of the tenant. Bookmarks: their owner, or an admin of the tenant. */
export function modelCanSee(r: ModelResource, user: DemoUser): boolean {
  if (user.tenant !== r.tenant) return false
  if (r.type === visit) return has(user, ['dispatcher', 'clinician', 'admin'])
  return has(user, ['admin']) || (has(user, ['reader']) && r.owner === user.id)
}

/** Who may create: readers and admins make bookmarks, dispatchers and admins make visits. */
export const modelCanCreate = (type: ResourceType, user: DemoUser): boolean =>
  has(user, type === visit ? ['dispatcher', 'admin'] : ['reader', 'admin'])

/** A clinician (not an admin) works only on the visits assigned to them. */
function guardHolds(r: ModelResource, action: string, user: DemoUser): boolean {
  if (r.type !== visit || !['depart', 'check-in', 'check-out'].includes(action)) return true
  if (!user.roles.includes('clinician') || user.roles.includes('admin')) return true
  return r.data.clinician_id === user.id
}

const roleMay = (r: ModelResource, action: string, user: DemoUser): boolean =>
  has(user, r.type.machine.actions.find((a) => a.name === action)?.roles ?? [])

/** The actions `user` may take on `r` now, sorted by name. */
export function modelActions(r: ModelResource, user: DemoUser): string[] {
  return r.type.machine.actions
    .filter((a) => a.from.includes(r.state) && roleMay(r, a.name, user) && guardHolds(r, a.name, user))
    .map((a) => a.name)
    .sort()
}

/** The status a transition request must get, in the order RFC 9110 and the design fix. */
export function expectTransition(r: ModelResource, action: string, user: DemoUser, pre: Precondition, validInput: boolean): Expected {
  if (!modelCanSee(r, user)) return { status: 404 }
  if (r.type.requirePreconditions === true && pre === 'none') return { status: 428 }
  if (pre === 'stale') return { status: 412 }
  const edge = r.type.machine.actions.find((a) => a.name === action)
  const to = edge?.to.get(r.state)
  if (to === undefined) return { status: 409 }
  if (!roleMay(r, action, user) || !guardHolds(r, action, user)) return { status: 403 }
  if (!validInput) return { status: 422 }
  return { status: 200, to }
}

/** A valid input for an action; `assign` names the clinician chosen by the command. */
export function validInput(r: ModelResource, action: string, clinician: string): Record<string, unknown> {
  if (action === 'assign') return { clinician_id: clinician }
  return { ...r.type.exampleInputs?.[action] }
}

/** An input the action's schema refuses: a missing required field, or a field where none is taken. */
export const invalidInput = (r: ModelResource, action: string): Record<string, unknown> =>
  r.type.machine.actions.find((a) => a.name === action)?.input === undefined ? { unexpected: true } : {}

export const modelTypes = [bookmark, visit] as const
