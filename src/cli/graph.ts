import { toDot, toMermaid } from '../fsm/graph.ts'
import type { Machine } from '../fsm/types.ts'
import { svgRenderer } from '../http/views/svg.ts'
import { USAGE, type Command } from './command.ts'
import { typesOf } from './types-module.ts'

const graphFormats = ['svg', 'dot', 'mermaid'] as const
type GraphFormat = (typeof graphFormats)[number]

/** `affordance graph <module> <machine> [--format svg|dot|mermaid] [--state <state>]`: the diagram, or why not. */
export async function graph(machines: readonly Machine[], args: readonly string[]): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  const names = machines.map((m) => m.name).join('|')
  const flags = new Map<string, string>()
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--format' || a === '--state') flags.set(a, args[++i] ?? '')
    else positional.push(a)
  }
  const machine = machines.find((m) => m.name === positional[0])
  if (positional.length !== 1 || machine === undefined) return { ok: false, error: `name one machine: ${names}` }
  const format = flags.get('--format') ?? 'svg'
  if (!(graphFormats as readonly string[]).includes(format)) return { ok: false, error: `--format must be one of ${graphFormats.join(', ')}` }
  const state = flags.get('--state')
  if (state !== undefined && !machine.states.includes(state)) return { ok: false, error: `--state must be one of ${machine.states.join(', ')}` }
  switch (format as GraphFormat) {
    case 'dot': return { ok: true, text: toDot(machine, state) }
    case 'mermaid': return { ok: true, text: toMermaid(machine, state) }
    case 'svg':
      await svgRenderer.ready?.()
      return { ok: true, text: svgRenderer.render(machine, state) }
  }
}

const usage = `Usage: affordance graph (<module> | --demo) <machine> [--format svg|dot|mermaid] [--state <state>]

Writes the diagram of a resource type's machine to stdout (SVG by default), with <state>
highlighted if given. <module> exports the resource types; --demo takes the demo types.`

export const graphCommand: Command = {
  summary: 'write a machine\'s diagram (SVG, DOT or Mermaid)',
  usage,
  async run(argv, env, io) {
    const types = await typesOf(argv, env)
    const result = types.ok ? await graph(types.types.map((t) => t.machine), types.rest) : types
    if (result.ok) {
      io.out(result.text.replace(/\n$/, ''))
      return 0
    }
    io.err(`${result.error}\n${usage}`)
    return USAGE
  },
}
