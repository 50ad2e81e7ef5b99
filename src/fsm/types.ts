/** Who is asking: enough to decide roles, tenancy and ownership. */
export interface Principal {
  readonly id: string
  readonly name: string
  readonly tenant: string
  readonly roles: readonly string[]
}

/** What a guard or a policy sees: the caller and the resource's current data. */
export interface ActionContext {
  readonly principal?: Principal | undefined
  readonly data: Readonly<Record<string, unknown>>
  /** Who owns the resource, when the resource type records owners. */
  readonly owner?: string | null | undefined
}

/** A guard admits an action or refuses it with a reason; `refusal` picks 403 or 409. */
export type GuardResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly refusal?: 'forbidden' | 'conflict' }

export type Guard = (context: ActionContext) => GuardResult

/** One action of a machine: an edge from each of `from` to `to`. */
export interface ActionSpec {
  readonly from: string | readonly string[]
  readonly to: string
  /** `$id` of the JSON Schema its request body must satisfy. */
  readonly input?: string
  /** Roles that may take this action; `'*'` means any authenticated caller. */
  readonly roles?: readonly string[]
  readonly guard?: Guard
  /** One sentence shown to people (forms, diagrams). */
  readonly title?: string
}

export interface MachineSpec {
  readonly name: string
  readonly initial: string
  readonly states: readonly string[]
  readonly terminal?: readonly string[]
  /**
   * One spec per action, or several when the action leads elsewhere from other states; each
   * transition keeps its own roles, guard and title, and all name the same input.
   */
  readonly actions: Readonly<Record<string, ActionSpec | readonly ActionSpec[]>>
}

/** A validated action: every state it leaves from, and where it leads from each. */
export interface Action {
  readonly name: string
  readonly from: readonly string[]
  /** Target state by source state. */
  readonly to: ReadonlyMap<string, string>
  readonly input?: string
  readonly roles?: readonly string[]
  readonly guard?: Guard
  readonly title?: string
}

/** A validated machine: definition-time checks passed, lookups precomputed. */
export interface Machine {
  readonly name: string
  readonly initial: string
  readonly states: readonly string[]
  readonly terminal: readonly string[]
  /** Each action with the roles, guard and title of its first transition; `outgoing` has each state's own. */
  readonly actions: readonly Action[]
  readonly byName: ReadonlyMap<string, Action>
  /** Actions whose `from` includes the state, in declaration order, with that transition's roles, guard and title. */
  readonly outgoing: ReadonlyMap<string, readonly Action[]>
}

export interface Edge {
  readonly action: string
  readonly from: string
  readonly to: string
}

/** Why `trigger` refused an action. */
export type TriggerError =
  | { readonly kind: 'unknown_action'; readonly action: string }
  | { readonly kind: 'not_allowed_from_state'; readonly action: string; readonly state: string }
  | { readonly kind: 'role_forbidden'; readonly action: string; readonly roles: readonly string[] }
  | { readonly kind: 'guard_failed'; readonly action: string; readonly reason: string; readonly refusal: 'forbidden' | 'conflict' }

export type TriggerResult =
  | { readonly ok: true; readonly action: Action; readonly from: string; readonly to: string }
  | { readonly ok: false; readonly error: TriggerError }
