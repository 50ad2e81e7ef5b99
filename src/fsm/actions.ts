import type { Action, ActionContext, Machine, TriggerResult } from './types.ts'

/** Whether the caller's roles admit the action; an action without `roles` has no role policy (a machine used alone; an app refuses to start with one). */
function roleAllows(action: Action, context: ActionContext): boolean {
  const roles = action.roles
  if (roles === undefined) return true
  if (context.principal === undefined) return false
  if (roles.includes('*')) return true
  return context.principal.roles.some((r) => roles.includes(r))
}

/**
 * Decides one action a caller asks for: the state, then the roles, then the guard, the
 * questions `availableActions` asks of every action to choose the links (paired in
 * src/legal-actions.ts, so that links never lie).
 */
export function trigger(machine: Machine, state: string, actionName: string, context: ActionContext): TriggerResult {
  const declared = machine.byName.get(actionName)
  if (declared === undefined) return { ok: false, error: { kind: 'unknown_action', action: actionName } }
  const to = declared.to.get(state)
  // The transition from this state, with its own roles and guard: the one availableActions shows.
  const action = machine.outgoing.get(state)?.find((a) => a.name === actionName)
  if (to === undefined || action === undefined) {
    return { ok: false, error: { kind: 'not_allowed_from_state', action: actionName, state } }
  }
  if (!roleAllows(action, context)) {
    return { ok: false, error: { kind: 'role_forbidden', action: actionName, roles: action.roles ?? [] } }
  }
  if (action.guard !== undefined) {
    const verdict = action.guard(context)
    if (!verdict.ok) {
      return { ok: false, error: { kind: 'guard_failed', action: actionName, reason: verdict.reason, refusal: verdict.refusal ?? 'conflict' } }
    }
  }
  return { ok: true, action, from: state, to }
}

/** The actions this caller may take now, in declaration order. */
export function availableActions(machine: Machine, state: string, context: ActionContext): Action[] {
  const out: Action[] = []
  for (const action of machine.outgoing.get(state) ?? []) {
    if (!roleAllows(action, context)) continue
    if (action.guard !== undefined && !action.guard(context).ok) continue
    out.push(action)
  }
  return out
}
