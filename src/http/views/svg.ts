import { instance, type Viz } from '@viz-js/viz'
import { toDot } from '../../fsm/graph.ts'
import type { Machine } from '../../fsm/types.ts'
import type { MachineRenderer } from '../graph/exchange.ts'

let viz: Viz | undefined
let loading: Promise<void> | undefined

// WASM Graphviz costs a compile and some megabytes: started by the first diagram asked for,
// not by importing the library. A failed start is retried by the next request.
function load(): Promise<void> | undefined {
  if (viz !== undefined) return undefined
  loading ??= instance().then((v) => { viz = v }, (error: unknown) => {
    loading = undefined
    throw error
  })
  return loading
}

const cache = new WeakMap<Machine, Map<string, string>>()

/** `image/svg+xml` diagrams rendered from DOT in-process, cached per machine and highlighted state. */
export const svgRenderer: MachineRenderer = {
  mediaType: 'image/svg+xml',
  ready: load,
  render(machine: Machine, highlight: string | undefined): string {
    if (viz === undefined) throw new Error('Graphviz is not loaded: await the renderer\'s ready() first')
    const byState = cache.get(machine) ?? new Map<string, string>()
    cache.set(machine, byState)
    let svg = byState.get(highlight ?? '')
    if (svg === undefined) {
      svg = viz.renderString(toDot(machine, highlight), { format: 'svg' })
      byState.set(highlight ?? '', svg)
    }
    return svg
  },
}
