import { availableActions, trigger } from './fsm/actions.ts'
import type { Action, ActionContext, Principal, TriggerResult } from './fsm/types.ts'
import type { ResourceType } from './resource.ts'
import type { ResourceRow } from './store/types.ts'

/*
 * Links never lie. Which actions are legal for this caller now is decided here and only
 * here: the links a representation carries come from `legalActions`, the transitions a
 * request may take from `decide`, and both ask the machine the same question of the same
 * context. An advertised action is admitted; any other is refused (409 for the state,
 * 403 for the caller). test/legal-actions.test.ts checks this for every state, action
 * and caller of the demo types.
 */

/** What guards and role checks see: the caller, the resource's data and its owner. */
export const contextOf = (row: ResourceRow, principal: Principal | undefined): ActionContext =>
  ({ principal, data: row.data, owner: row.owner })

/** The actions this caller may take on this resource now: the ones its representations link to. */
export const legalActions = (type: ResourceType, row: ResourceRow, principal: Principal | undefined): Action[] =>
  availableActions(type.machine, row.state, contextOf(row, principal))

/** Whether this caller may take this action on this resource now, and to which state: the same question, on the way in. */
export const decide = (type: ResourceType, row: ResourceRow, action: string, principal: Principal | undefined): TriggerResult =>
  trigger(type.machine, row.state, action, contextOf(row, principal))
