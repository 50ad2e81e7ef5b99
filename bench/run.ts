import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { coreBench } from './core.ts'
import { benchDatabase, copyDatabase, removeDatabase, sampleIds, type BenchDatabase } from './db.ts'
import { interleave, measure } from './measure.ts'
import { absoluteTable, absoluteTargets, compare, measuresTable, progressLine, ratiosTable, type Comparison, type ComparisonResult, type Run } from './report.ts'
import { plan, poolFor, type Format, type Pool, type ScenarioKind } from './scenarios.ts'
import { coreCount, pinSelf, startServer, type BenchServer } from './servers.ts'

/**
 * `npm run bench`: Affordance against the hand-written baseline, interleaved
 * (A B A B), several rounds, 10 and 50 connections. `--quick` for a short single round, `--only <regex>` for some measures,
 * `--store pg` for the same on PostgreSQL (see run-pg.ts).
 */
const storeAt = process.argv.indexOf('--store')
const store = storeAt === -1 ? 'sqlite' : process.argv[storeAt + 1]
const quick = process.argv.includes('--quick')
const onlyAt = process.argv.indexOf('--only')
/** `--only <regex>`: just the measures whose id matches, to iterate on one scenario. */
const only = onlyAt === -1 ? undefined : new RegExp(process.argv[onlyAt + 1] ?? '.')
const settings = quick
  ? { rounds: 1, seconds: 2, warmup: 1, writeWarmup: 4, connections: [10, 50], core: 0.5 }
  : { rounds: 3, seconds: 5, warmup: 3, writeWarmup: 8, connections: [10, 50], core: 2 }
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))
const data = here('.data/')

/** A server and the database it gets a private copy of, made when its group runs. */
interface ServerSpec { readonly name: string; readonly script: string; readonly source: BenchDatabase; readonly synchronous?: 'FULL' | 'NORMAL' }
interface MeasureSpec { readonly id: string; readonly label: string; readonly server: string; readonly kind: ScenarioKind; readonly format: Format }
interface Group { readonly title: string; readonly servers: readonly ServerSpec[]; readonly measures: readonly MeasureSpec[]; readonly comparisons: readonly Comparison[] }

const AFFORDANCE = 'bench/affordance-server.ts'
const BASELINE = 'bench/baseline.ts'

function groups(): Group[] {
  const main = benchDatabase(`${data}100k.db`, 100_000)
  const large = benchDatabase(`${data}1m.db`, 1_000_000)
  const small = benchDatabase(`${data}1k.db`, 1_000)
  const formats: Format[] = ['json', 'hal', 'siren']
  return [
    {
      title: '100,000 resources',
      servers: [
        { name: 'affordance', script: AFFORDANCE, source: main },
        { name: 'baseline', script: BASELINE, source: main },
        { name: 'baseline-normal', script: BASELINE, source: main, synchronous: 'NORMAL' },
      ],
      measures: [
        { id: 'baseline-get', label: 'GET resource', server: 'baseline', kind: 'get', format: 'json' },
        ...formats.map((f): MeasureSpec => ({ id: `get-${f}`, label: `GET resource (${f})`, server: 'affordance', kind: 'get', format: f })),
        { id: 'not-modified', label: 'GET 304 (json)', server: 'affordance', kind: 'not-modified', format: 'json' },
        { id: 'baseline-post', label: 'POST transition, FULL', server: 'baseline', kind: 'post', format: 'json' },
        ...formats.map((f): MeasureSpec => ({ id: `post-${f}`, label: `POST transition (${f}), FULL`, server: 'affordance', kind: 'post', format: f })),
        { id: 'baseline-normal-post', label: 'POST transition, NORMAL', server: 'baseline-normal', kind: 'post', format: 'json' },
      ],
      comparisons: [
        { name: 'GET json / baseline GET', a: 'get-json', b: 'baseline-get', metric: 'rps', target: { op: '>=', value: 0.85 } },
        { name: '304 / baseline GET', a: 'not-modified', b: 'baseline-get', metric: 'rps', target: { op: '>=', value: 1 } },
        { name: 'GET hal / baseline GET', a: 'get-hal', b: 'baseline-get', metric: 'rps' },
        { name: 'GET siren / baseline GET', a: 'get-siren', b: 'baseline-get', metric: 'rps' },
        { name: 'POST FULL / baseline FULL', a: 'post-json', b: 'baseline-post', metric: 'rps', target: { op: '>=', value: 2 } },
        { name: 'POST FULL / baseline NORMAL (stretch)', a: 'post-json', b: 'baseline-normal-post', metric: 'rps', target: { op: '>=', value: 0.8 } },
        { name: 'POST hal / baseline FULL', a: 'post-hal', b: 'baseline-post', metric: 'rps' },
        { name: 'POST siren / baseline FULL', a: 'post-siren', b: 'baseline-post', metric: 'rps' },
      ],
    },
    {
      title: '1,000,000 resources (and 1,000 for comparison)',
      servers: [
        { name: 'affordance-1m', script: AFFORDANCE, source: large },
        { name: 'baseline-1m', script: BASELINE, source: large },
        { name: 'affordance-1k', script: AFFORDANCE, source: small },
      ],
      measures: [
        { id: 'baseline-first-page', label: 'collection page 1', server: 'baseline-1m', kind: 'first-page', format: 'json' },
        { id: 'first-page', label: 'collection page 1', server: 'affordance-1m', kind: 'first-page', format: 'json' },
        { id: 'baseline-deep-page', label: 'collection page 50,000', server: 'baseline-1m', kind: 'deep-page', format: 'json' },
        { id: 'deep-page', label: 'collection page 50,000', server: 'affordance-1m', kind: 'deep-page', format: 'json' },
        { id: 'get-1m', label: 'GET resource, 1,000,000 rows', server: 'affordance-1m', kind: 'get', format: 'json' },
        { id: 'get-1k', label: 'GET resource, 1,000 rows', server: 'affordance-1k', kind: 'get', format: 'json' },
      ],
      comparisons: [
        { name: 'page 1 / baseline page 1', a: 'first-page', b: 'baseline-first-page', metric: 'rps' },
        { name: 'page 50,000 / baseline page 50,000', a: 'deep-page', b: 'baseline-deep-page', metric: 'rps' },
        { name: 'latency page 50,000 / page 1', a: 'deep-page', b: 'first-page', metric: 'latency', target: { op: '<=', value: 1.2 } },
        { name: 'latency GET 1,000,000 / 1,000 rows', a: 'get-1m', b: 'get-1k', metric: 'latency', target: { op: '<=', value: 1.1 } },
      ],
    },
  ]
}

const copyOf = (s: ServerSpec): string => `${data}run-${s.name}.db`

async function runGroup(group: Group, runs: Run[], unavailableMeasures: string[], peakRss: Map<string, number>): Promise<void> {
  const cores = coreCount()
  const servers = new Map<string, BenchServer>()
  const pools = new Map<string, { pool: Pool; unavailable: Set<Format> }>()
  try {
    for (const s of group.servers) {
      const db = copyDatabase(s.source, copyOf(s))
      const server = await startServer(s.name, s.script, { BENCH_DATABASE: db.file, BENCH_SYNCHRONOUS: s.synchronous ?? 'FULL' }, cores > 1 ? 1 : undefined)
      servers.set(s.name, server)
      // Every resource of the 100,000, one in ten of the million.
      pools.set(s.name, await poolFor(server, db.token, sampleIds(db.file, Math.max(1, Math.ceil(db.rows / 100_000)))))
    }
    const live = group.measures.filter((m) => only === undefined || only.test(m.id)).filter((m) => {
      const ok = !(pools.get(m.server)?.unavailable.has(m.format) ?? true)
      if (!ok) unavailableMeasures.push(m.id)
      return ok
    })
    const once = async (m: MeasureSpec, connections: number, seconds: number) => {
      const server = servers.get(m.server) as BenchServer
      const pool = (pools.get(m.server) as { pool: Pool }).pool
      return measure(server, (unexpected) => plan(m.kind, m.format, pool, unexpected), connections, seconds)
    }
    await interleave(live, settings, once, (m, round, connections, result) => {
      runs.push({ ...result, round, measure: m.id, server: m.server, connections })
      if (connections === Math.max(...settings.connections)) peakRss.set(m.server, Math.max(peakRss.get(m.server) ?? 0, result.peakRss))
      console.log(progressLine(m.id, round, connections, result))
    })
  } finally {
    for (const server of servers.values()) await server.stop()
    for (const s of group.servers) removeDatabase(copyOf(s))
  }
}

async function main(): Promise<void> {
  const pinned = coreCount() > 1 && pinSelf(0)
  console.log(`Affordance vs baseline: ${settings.rounds} round(s) of ${settings.seconds} s, ${settings.connections.join(' and ')} connections${pinned ? '; load generator on core 0, servers on core 1' : ''}`)
  const core = coreBench(settings.core)
  const runs: Run[] = []
  const unavailable: string[] = []
  const peakRss = new Map<string, number>()
  const all = groups()
  for (const group of all) {
    if (only !== undefined && !group.measures.some((m) => only.test(m.id))) continue
    console.log(`\n${group.title}`)
    await runGroup(group, runs, unavailable, peakRss)
  }
  const comparisons: ComparisonResult[] = all.flatMap((g) => compare(g.comparisons, runs, settings.connections, settings.rounds))
  const labels = new Map(all.flatMap((g) => g.measures.map((m) => [m.id, m.label] as const)))
  const absolute = absoluteTargets(runs, peakRss, Math.max(...settings.connections))
  const rssLines = [...peakRss].map(([name, bytes]) => `| ${name} | ${(bytes / 2 ** 20).toFixed(0)} MB |`)
  const report = [
    `Command: \`npm run bench${quick ? ' -- --quick' : ''}\` · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} · ${settings.rounds} round(s) × ${settings.seconds} s · medians over rounds`,
    '', measuresTable(runs, labels, unavailable, settings.connections),
    '', ratiosTable(comparisons),
    '', absoluteTable(absolute),
    '', '| server | peak RSS at 50 connections |', '|---|---:|', ...rssLines,
    '', `Pure core: availableActions ${Math.round(core.availableActionsPerSecond).toLocaleString('en')}/s; availableActions + RESTful JSON rendering ${Math.round(core.renderPerSecond).toLocaleString('en')}/s.`,
  ].join('\n')
  console.log(`\n${report}`)
  mkdirSync(here('results/'), { recursive: true })
  const out = here(quick || only !== undefined ? 'results/partial.json.tmp' : 'results/latest.json')
  const peak = Object.fromEntries([...peakRss].map(([k, v]) => [k, v]))
  writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), quick, settings, machine: { cpus: cpus().length, model: cpus()[0]?.model }, pinned, core, peakRssBytes: peak, comparisons, absolute, unavailable, runs }, null, 2)}\n`)
  console.log(`\nFigures written to ${relative(process.cwd(), out)}`)
}

if (store === 'pg' || store === 'postgres') {
  const { benchPostgres } = await import('./run-pg.ts')
  await benchPostgres(settings, { quick, only })
} else if (store === 'sqlite') {
  await main()
} else {
  throw new Error(`--store ${store ?? ''}: sqlite (the default) or pg`)
}
