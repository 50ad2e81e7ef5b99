import { instance, type Viz } from '@viz-js/viz'
import { toDot } from '../../fsm/graph.ts'
import type { Machine } from '../../fsm/types.ts'
import type { MachineRenderer } from '../graph/exchange.ts'

let viz: Viz | undefined

/** Starts the WASM Graphviz once; rendering after that is synchronous. */
export async function createSvgRenderer(): Promise<MachineRenderer> {
  viz ??= await instance()
  return svgRenderer
}

const cache = new WeakMap<Machine, Map<string, string>>()

/** `image/svg+xml` diagrams rendered from DOT in-process, cached per machine and highlighted state. */
export const svgRenderer: MachineRenderer = {
  mediaType: 'image/svg+xml',
  render(machine: Machine, highlight: string | undefined): string {
    const byState = cache.get(machine) ?? new Map<string, string>()
    cache.set(machine, byState)
    let svg = byState.get(highlight ?? '')
    if (svg === undefined) {
      svg = (viz as Viz).renderString(toDot(machine, highlight), { format: 'svg' })
      byState.set(highlight ?? '', svg)
    }
    return svg
  },
}

// Instantiated when this module loads, so an app built right after import can serve SVG.
await createSvgRenderer()
