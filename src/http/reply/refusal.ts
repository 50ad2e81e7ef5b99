import type { Principal, TriggerError } from '../../fsm/types.ts'
import { legalActions } from '../../legal-actions.ts'
import type { ResourceType } from '../../resource.ts'
import type { ResourceRow } from '../../store/types.ts'
import { problem, type Problem } from './problem.ts'

/** The problem for a refused action: 409 when the state forbids it, 403 when the caller may not. */
export function refusalProblem(error: TriggerError, row: ResourceRow, type: ResourceType, principal: Principal | undefined): Problem {
  const allowed = legalActions(type, row, principal).map((a) => a.name)
  const facts = { current_state: row.state, allowed_actions: allowed, action: error.action }
  switch (error.kind) {
    case 'unknown_action':
      return problem('not-found', `A ${type.name} has no action "${error.action}".`)
    case 'not_allowed_from_state':
      return problem('illegal-transition', `A ${type.name} in state "${row.state}" cannot "${error.action}"; allowed now: ${allowed.length === 0 ? 'nothing' : allowed.join(', ')}.`, { extensions: facts })
    case 'role_forbidden':
      return problem('forbidden', `Your roles do not include one that may "${error.action}" (${error.roles.join(', ')}).`, { extensions: facts })
    case 'guard_failed':
      return error.refusal === 'forbidden'
        ? problem('forbidden', error.reason, { extensions: facts })
        : problem('illegal-transition', error.reason, { extensions: facts })
  }
}
