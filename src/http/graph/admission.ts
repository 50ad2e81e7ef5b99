import type { Exchange } from './exchange.ts'
import { refusalProblem } from '../reply/refusal.ts'
import { problem, type Problem } from '../reply/problem.ts'
import { decide } from '../../legal-actions.ts'
import { offeredTo, unofferedValues } from '../views/field-options.ts'
import { maxIssues, type Issue } from '../schemas.ts'

/** P3: the same decision that chose the links, for this request; undefined when admitted. */
export function admit(x: Exchange): Problem | undefined {
  const entry = x.route.entry
  const row = x.row
  if (entry === undefined || row === undefined || x.route.action === undefined) return problem('not-found', 'No such action.')
  const verdict = decide(entry.type, row, x.route.action, x.principal)
  return verdict.ok ? undefined : refusalProblem(verdict.error, row, entry.type, x.principal)
}

const isEmptyObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0

/** 422 when the body fails the create or action schema; undefined when it passes. */
export function validateInput(x: Exchange): Problem | undefined {
  const entry = x.route.entry
  if (entry === undefined) return undefined
  const action = x.route.action
  const validate = action === undefined ? entry.compiled.create : entry.compiled.inputs.get(action)
  if (validate === undefined) {
    if (x.input === undefined || isEmptyObject(x.input)) return undefined
    return problem('validation-failed', `The action "${action ?? ''}" takes no input; send no body or {}.`, { extensions: { issues: [{ path: '', keyword: 'maxProperties', message: 'must be empty' }] } })
  }
  const verdict = validate(x.input === undefined ? {} : x.input)
  // Values outside the choices the forms offered are refused like any other schema issue.
  const unoffered = unofferedValues(offeredTo(entry.type, action ?? 'create', x.principal), x.input)
  if (verdict.ok && unoffered.length === 0) return undefined
  const found = [...(verdict.ok ? [] : verdict.issues), ...unoffered]
  const issues = found.slice(0, maxIssues)
  // Undefined when the schema stopped at its first issue (a large body): the rest were never counted.
  const counted = verdict.ok ? 0 : verdict.omitted
  const omitted = counted === undefined ? undefined : counted + found.length - issues.length
  return invalidBody(issues, omitted)
}

const short = (path: string): string => (path.length > 40 ? `${path.slice(0, 40)}…` : path || '/')

/** A 422 that stays small however many issues there are: the first few in `detail`, at most `maxIssues` listed. */
function invalidBody(issues: readonly Issue[], omitted: number | undefined): Problem {
  const named = issues.slice(0, 3).map((i) => `${short(i.path)} ${i.message}`).join('; ')
  const rest = (omitted ?? 0) + issues.length - Math.min(issues.length, 3)
  const more = omitted === undefined ? ' (checking stopped at the first issue: the body is large)' : rest > 0 ? `; and ${rest} more` : ''
  return problem('validation-failed', `The body does not satisfy the schema: ${named}${more}.`, { extensions: { issues, ...(omitted !== undefined && omitted > 0 && { issues_omitted: omitted }) } })
}
