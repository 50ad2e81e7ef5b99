import { edgesOf } from './define-machine.ts'
import type { Edge, Machine } from './types.ts'

/** The machine as plain JSON: states, actions and every edge. */
export interface MachineJson {
  readonly name: string
  readonly initial: string
  readonly states: readonly string[]
  readonly terminal: readonly string[]
  readonly actions: readonly { name: string; from: readonly string[]; input?: string; roles?: readonly string[]; title?: string }[]
  /** Every edge; `roles` where a transition's roles differ from its action's. */
  readonly edges: readonly (Edge & { roles?: readonly string[] })[]
}

const ownRoles = (machine: Machine, e: Edge): { roles?: readonly string[] } => {
  const own = machine.outgoing.get(e.from)?.find((a) => a.name === e.action)
  return own === undefined || own === machine.byName.get(e.action) || own.roles === undefined ? {} : { roles: own.roles }
}

export function toJson(machine: Machine): MachineJson {
  return {
    name: machine.name,
    initial: machine.initial,
    states: machine.states,
    terminal: machine.terminal,
    actions: machine.actions.map((a) => ({
      name: a.name,
      from: a.from,
      ...(a.input !== undefined && { input: a.input }),
      ...(a.roles !== undefined && { roles: a.roles }),
      ...(a.title !== undefined && { title: a.title }),
    })),
    edges: edgesOf(machine).map((e) => ({ ...e, ...ownRoles(machine, e) })),
  }
}

const quote = (s: string): string => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`

/** Graphviz DOT; `highlight` fills one state (the resource's current state). */
export function toDot(machine: Machine, highlight?: string): string {
  const lines = [
    `digraph ${quote(machine.name)} {`,
    '  rankdir=LR;',
    '  node [shape=box, style="rounded", fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
    '  __start [shape=point, label=""];',
    `  __start -> ${quote(machine.initial)};`,
  ]
  for (const s of machine.states) {
    const attrs: string[] = []
    if (machine.terminal.includes(s)) attrs.push('peripheries=2')
    if (s === highlight) attrs.push('style="rounded,filled,bold"', 'fillcolor="#ffd54f"')
    lines.push(`  ${quote(s)}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`)
  }
  for (const e of edgesOf(machine)) lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(e.action)}];`)
  lines.push('}')
  return lines.join('\n') + '\n'
}

/** Mermaid `stateDiagram-v2`. */
export function toMermaid(machine: Machine, highlight?: string): string {
  const id = (s: string): string => s.replaceAll(/[^A-Za-z0-9_]/g, '_')
  const lines = ['stateDiagram-v2', `  [*] --> ${id(machine.initial)}`]
  for (const e of edgesOf(machine)) lines.push(`  ${id(e.from)} --> ${id(e.to)}: ${e.action}`)
  for (const s of machine.terminal) lines.push(`  ${id(s)} --> [*]`)
  if (highlight !== undefined && machine.states.includes(highlight)) {
    lines.push('  classDef current fill:#ffd54f,stroke:#333,stroke-width:2px', `  class ${id(highlight)} current`)
  }
  return lines.join('\n') + '\n'
}
