import type { Action, ActionSpec, Edge, MachineSpec, Machine } from './types.ts'
import { urlKey } from './url-key.ts'

/** Validates a machine definition and precomputes its lookups; throws on a bad definition. */
export function defineMachine(spec: MachineSpec): Machine {
  const fail = (why: string): never => {
    throw new Error(`machine "${spec.name}": ${why}`)
  }
  const states = new Set(spec.states)
  if (states.size !== spec.states.length) fail('a state is listed twice')
  if (!states.has(spec.initial)) fail(`initial state "${spec.initial}" is not one of its states`)
  const terminal = spec.terminal ?? []
  for (const t of terminal) if (!states.has(t)) fail(`terminal state "${t}" is not one of its states`)

  const actions: Action[] = []
  const outgoing = new Map<string, Action[]>(spec.states.map((s) => [s, []]))
  const linkKeys = new Map<string, string>()
  for (const [name, given] of Object.entries(spec.actions)) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) fail(`action name "${name}" must be lower-case words joined by dashes`)
    const key = urlKey(name)
    if (linkKeys.has(key)) fail(`actions "${linkKeys.get(key)}" and "${name}" would share the link "${key}"`)
    linkKeys.set(key, name)
    const specs: readonly ActionSpec[] = Array.isArray(given) ? given : [given as ActionSpec]
    const first = specs[0] ?? fail(`action "${name}" has no transitions`)
    const to = new Map<string, string>()
    for (const t of specs) {
      const from = typeof t.from === 'string' ? [t.from] : t.from
      if (from.length === 0) fail(`action "${name}" has no "from" state`)
      if (!states.has(t.to)) fail(`action "${name}" leads to unknown state "${t.to}"`)
      for (const f of from) {
        if (!states.has(f)) fail(`action "${name}" starts from unknown state "${f}"`)
        if (terminal.includes(f)) fail(`action "${name}" leaves terminal state "${f}"`)
        if (to.has(f)) fail(`action "${name}" has two transitions from state "${f}"`)
        to.set(f, t.to)
      }
    }
    // The body is checked before the write re-reads the state, so one action takes one input whatever its source state.
    const input = first.input
    if (specs.some((t) => t.input !== input)) fail(`action "${name}" names different inputs on its transitions; give it one input, or make two actions`)
    const action: Action = { name, from: [...to.keys()], to, ...rulesOf(first) }
    actions.push(action)
    // Each source state gets its own transition's roles, guard and title: what links show and what trigger admits there.
    for (const t of specs) {
      const edge = sameRules(t, first) ? action : { name, from: action.from, to, ...rulesOf(t) }
      for (const f of typeof t.from === 'string' ? [t.from] : t.from) outgoing.get(f)?.push(edge)
    }
  }
  for (const s of spec.states) {
    if (!terminal.includes(s) && (outgoing.get(s)?.length ?? 0) === 0) {
      fail(`state "${s}" has no way out; list it in "terminal" if it is final`)
    }
  }
  const reached = new Set([spec.initial])
  const queue = [spec.initial]
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    for (const a of outgoing.get(s) ?? []) {
      const next = a.to.get(s)
      if (next !== undefined && !reached.has(next)) {
        reached.add(next)
        queue.push(next)
      }
    }
  }
  for (const s of spec.states) if (!reached.has(s)) fail(`state "${s}" cannot be reached from "${spec.initial}"`)

  return {
    name: spec.name,
    initial: spec.initial,
    states: [...spec.states],
    terminal: [...terminal],
    actions,
    byName: new Map(actions.map((a) => [a.name, a])),
    outgoing,
  }
}

const rulesOf = (t: ActionSpec): Partial<Pick<Action, 'input' | 'roles' | 'guard' | 'title'>> => ({
  ...(t.input !== undefined && { input: t.input }),
  ...(t.roles !== undefined && { roles: t.roles }),
  ...(t.guard !== undefined && { guard: t.guard }),
  ...(t.title !== undefined && { title: t.title }),
})

const sameRoles = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((r) => b.includes(r)))

const sameRules = (a: ActionSpec, b: ActionSpec): boolean => sameRoles(a.roles, b.roles) && a.guard === b.guard && a.title === b.title

/** Every transition of the machine, one per (action, source state). */
export function edgesOf(machine: Machine): Edge[] {
  return machine.actions.flatMap((a) => [...a.to].map(([from, to]) => ({ action: a.name, from, to })))
}
