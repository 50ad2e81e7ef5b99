import { fileURLToPath } from 'node:url'
import { restfulJson } from '../representors/restful-json.ts'
import { availableActions } from '../src/fsm/actions.ts'
import { compileType, createAjv } from '../src/http/schemas.ts'
import { resourceView } from '../src/http/views/views.ts'
import { contextOf, legalActions } from '../src/legal-actions.ts'
import { bookmark } from '../src/resources/index.ts'
import type { ResourceRow } from '../src/store/types.ts'

/** Operations per second of the pure core, with no HTTP and no database. */
export interface CoreFigures {
  readonly availableActionsPerSecond: number
  readonly renderPerSecond: number
}

const principal = { id: 'north-reader', name: 'Reader (north)', tenant: 'north', roles: ['reader'] }
const row: ResourceRow = {
  seq: 1, id: '6f1c2a70-2f55-4f0e-9d3a-4f1e2b3c4d5e', type: 'bookmark', tenant: 'north', owner: 'north-reader', state: 'queued',
  data: { bookmark_url: 'https://example.org/articles/1', title: 'Article number 1' }, version: 3, created_at: 0, updated_at: 0,
}

/** Calls `work` in batches until `seconds` have passed; returns calls per second. */
function rate(seconds: number, work: () => unknown): number {
  let calls = 0
  let sink = 0
  const start = process.hrtime.bigint()
  const end = start + BigInt(Math.round(seconds * 1e9))
  let now = start
  while (now < end) {
    for (let i = 0; i < 1000; i++) if (work() !== undefined) sink++
    calls += 1000
    now = process.hrtime.bigint()
  }
  // The sink keeps the optimiser from dropping the work.
  if (sink < 0) console.log(sink)
  return calls / (Number(now - start) / 1e9)
}

/** Measures `availableActions` alone, then actions + view + RESTful JSON rendering of one bookmark. */
export function coreBench(seconds: number): CoreFigures {
  const compiled = compileType(createAjv(), bookmark)
  const context = contextOf(row, principal)
  const origin = { origin: 'http://127.0.0.1' }
  rate(seconds / 4, () => restfulJson.render(resourceView('', bookmark, compiled, row, legalActions(bookmark, row, principal)), origin))
  return {
    availableActionsPerSecond: rate(seconds, () => availableActions(bookmark.machine, row.state, context)),
    renderPerSecond: rate(seconds, () => restfulJson.render(resourceView('', bookmark, compiled, row, legalActions(bookmark, row, principal)), origin)),
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = coreBench(2)
  console.log(`availableActions: ${Math.round(figures.availableActionsPerSecond).toLocaleString('en')}/s`)
  console.log(`availableActions + RESTful JSON rendering: ${Math.round(figures.renderPerSecond).toLocaleString('en')}/s`)
}
