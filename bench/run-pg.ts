import pg from 'pg'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { interleave, measure, type Measurement, type Timing } from './measure.ts'
import { adminUrl, copyDatabase, dropDatabase, dropOrphans, cpuSpentSince, postgresCpu, runPrefix, sampleIds, seedDatabase, type PgBenchDatabase } from './pg-database.ts'
import { compare, machineTable, machineUse, progressLine, ratiosTable, type Comparison, type MachineRun, type MachineUse } from './report.ts'
import { plan, poolFor, type Pool, type ScenarioKind } from './scenarios.ts'
import { coreCount, machineCpuMicros, pinSelf, startServer, type BenchServer } from './servers.ts'

/** A server of the PostgreSQL mode and the copy of the database it serves: instances of one copy share it. */
interface ServerSpec { readonly name: string; readonly script: string; readonly copy: string }
/** A measure, over one server or over instances sharing a database (one load generator each). */
interface MeasureSpec { readonly id: string; readonly label: string; readonly servers: readonly string[]; readonly kind: ScenarioKind }

const AFFORDANCE = 'bench/affordance-server.ts'
const ROWS = 100_000

const serverSpecs: readonly ServerSpec[] = [
  { name: 'baseline-pg', script: 'bench/baseline-pg.ts', copy: 'baseline' },
  { name: 'affordance', script: AFFORDANCE, copy: 'one' },
  { name: 'affordance-1', script: AFFORDANCE, copy: 'two' },
  { name: 'affordance-2', script: AFFORDANCE, copy: 'two' },
]

const measureSpecs: readonly MeasureSpec[] = [
  { id: 'baseline-get', label: 'GET resource', servers: ['baseline-pg'], kind: 'get' },
  { id: 'get-json', label: 'GET resource (json)', servers: ['affordance'], kind: 'get' },
  { id: 'get-json-x2', label: 'GET resource (json), two instances', servers: ['affordance-1', 'affordance-2'], kind: 'get' },
  { id: 'baseline-post', label: 'POST transition', servers: ['baseline-pg'], kind: 'post' },
  { id: 'post-json', label: 'POST transition (json)', servers: ['affordance'], kind: 'post' },
  { id: 'post-json-x2', label: 'POST transition (json), two instances', servers: ['affordance-1', 'affordance-2'], kind: 'post' },
]

const comparisons: readonly Comparison[] = [
  { name: 'GET json / baseline GET', a: 'get-json', b: 'baseline-get', metric: 'rps', target: { op: '>=', value: 0.85 } },
  { name: 'POST json / baseline POST', a: 'post-json', b: 'baseline-post', metric: 'rps', target: { op: '>=', value: 1.5 } },
  { name: 'GET two instances / one', a: 'get-json-x2', b: 'get-json', metric: 'rps', target: { op: '>=', value: 1.6 } },
  { name: 'POST two instances / one', a: 'post-json-x2', b: 'post-json', metric: 'rps' },
]

const copyOf = (m: MeasureSpec): string => serverSpecs.find((s) => s.name === m.servers[0])?.copy ?? ''
const shownServer = (m: MeasureSpec): string => (m.servers.length === 1 ? (m.servers[0] as string) : `affordance × ${m.servers.length}`)
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

/** Runs one measure and reads, around it, what every process on the machine spent. */
async function measured(prefix: string, targets: readonly BenchServer[], pool: Pool, kind: ScenarioKind, connections: number, seconds: number): Promise<Measurement & MachineUse> {
  const start = process.hrtime.bigint()
  const postgres = postgresCpu(prefix)
  const generator = process.cpuUsage()
  const machine = machineCpuMicros()
  const result = await measure(targets, (unexpected) => plan(kind, 'json', pool, unexpected), connections, seconds)
  const used = process.cpuUsage(generator)
  const machineAfter = machineCpuMicros()
  return {
    ...result,
    ...machineUse({
      elapsed: Number(process.hrtime.bigint() - start) / 1e3,
      requests: result.requests,
      servers: result.cpuMicrosPerRequest * result.requests,
      postgres: cpuSpentSince(postgres, postgresCpu(prefix)),
      generator: used.user + used.system,
      machineBusy: machineAfter.all.busy - machine.all.busy,
      machineTotal: machineAfter.all.total - machine.all.total,
      cores: machineAfter.cores.map((c, i) => ({ busy: c.busy - (machine.cores[i]?.busy ?? 0), total: c.total - (machine.cores[i]?.total ?? 0) })),
    }),
  }
}

/**
 * `npm run bench -- --store pg`: Affordance on PostgreSQL against a hand-written Koa + pg
 * baseline, and two Affordance instances on one database against one, in a database made for
 * the run (one copy per server, or per pair of instances) and dropped at its end, whatever ends it.
 */
export async function benchPostgres(timing: Timing, options: { readonly quick: boolean; readonly only: RegExp | undefined }): Promise<void> {
  const began = Date.now()
  const loadBefore = loadavg()[0] ?? 0
  const pinned = coreCount() > 1 && pinSelf(0)
  const prefix = runPrefix(process.pid)
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version.split(' ')[0] ?? '?'
  const where = `${new URL(adminUrl).host}, unpinned`
  console.log(`Affordance on PostgreSQL ${version} (${where}) vs a Koa + pg baseline: ${timing.rounds} round(s) of ${timing.seconds} s, ${timing.connections.join(' and ')} connections${pinned ? '; load generator on core 0, servers on core 1' : ''}`)

  const made: string[] = []
  const started = new Map<string, BenchServer>()
  let tearing: Promise<void> | undefined
  // Once only, whichever comes first: the end of the run, its failure, or a signal.
  const teardown = (): Promise<void> => (tearing ??= (async () => {
    for (const server of started.values()) await server.stop()
    for (const name of [...made].reverse()) await dropDatabase(admin, name).catch((error: unknown) => console.error(`could not drop ${name}: ${(error as Error).message}`))
    await admin.end()
  })())
  const interrupted = (signal: NodeJS.Signals): void => {
    console.log(`\n${signal}: stopping the servers and dropping the bench databases`)
    const leave = (): never => process.exit(130)
    teardown().then(leave, leave)
  }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)

  const live = measureSpecs.filter((m) => options.only === undefined || options.only.test(m.id))
  const runs: MachineRun[] = []
  const peakRss = new Map<string, number>()
  try {
    const orphans = await dropOrphans(admin)
    if (orphans.length > 0) console.log(`Dropped the databases of bench runs that did not end cleanly: ${orphans.join(', ')}`)
    made.push(prefix)
    const seeding = Date.now()
    const source = await seedDatabase(admin, prefix, ROWS)
    console.log(`Seeded ${prefix} with ${ROWS.toLocaleString('en')} bookmarks in ${((Date.now() - seeding) / 1000).toFixed(1)} s`)
    const copies = new Map<string, PgBenchDatabase>()
    for (const copy of new Set(live.map(copyOf))) {
      made.push(`${prefix}_${copy}`)
      copies.set(copy, await copyDatabase(admin, source, `${prefix}_${copy}`))
    }
    // The copies on disk before anything is measured, as the SQLite mode flushes its copies.
    await admin.query('CHECKPOINT')
    const pools = new Map<string, Pool>()
    for (const s of serverSpecs.filter((spec) => live.some((m) => m.servers.includes(spec.name)))) {
      const db = copies.get(s.copy) as PgBenchDatabase
      const server = await startServer(s.name, s.script, { BENCH_DATABASE: db.url, BENCH_POOL_SIZE: '10' }, coreCount() > 1 ? 1 : undefined)
      started.set(s.name, server)
      if (!pools.has(s.copy)) pools.set(s.copy, (await poolFor(server, db.token, await sampleIds(db, 1))).pool)
    }
    const once = (m: MeasureSpec, connections: number, seconds: number) =>
      measured(prefix, m.servers.map((name) => started.get(name) as BenchServer), pools.get(copyOf(m)) as Pool, m.kind, connections, seconds)
    console.log('')
    await interleave(live, timing, once, (m, round, connections, result) => {
      runs.push({ ...result, round, measure: m.id, server: shownServer(m), connections })
      if (connections === Math.max(...timing.connections)) peakRss.set(shownServer(m), Math.max(peakRss.get(shownServer(m)) ?? 0, result.peakRss))
      console.log(`${progressLine(m.id, round, connections, result)}  PostgreSQL ${result.postgresMicrosPerRequest.toFixed(0)} µs/req, cores ${result.coreBusy.map((b) => `${Math.round(b * 100)} %`).join(' · ')} busy`)
    })
  } finally {
    process.off('SIGINT', interrupted)
    process.off('SIGTERM', interrupted)
    await teardown()
  }

  const minutes = (Date.now() - began) / 60_000
  const load = { before: loadBefore, after: loadavg()[0] ?? 0 }
  const results = compare(comparisons, runs, timing.connections, timing.rounds)
  const labels = new Map(measureSpecs.map((m) => [m.id, m.label] as const))
  const shown = new Map(measureSpecs.map((m) => [m.id, shownServer(m)] as const))
  const command = `npm run bench -- --store pg${options.quick ? ' --quick' : ''}${options.only === undefined ? '' : ` --only ${options.only.source}`}`
  const report = [
    `Command: \`${command}\` · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} · PostgreSQL ${version} (${where}) · ${timing.rounds} round(s) × ${timing.seconds} s · medians over rounds · ${minutes.toFixed(1)} min in all`,
    `Load average (1 min) ${load.before.toFixed(2)} before the run, ${load.after.toFixed(2)} after; "others" is what other processes took of the machine during each measure.`,
    '', machineTable(runs, labels, shown, timing.connections),
    '', ratiosTable(results),
    '', `| server | peak RSS at ${Math.max(...timing.connections)} connections |`, '|---|---:|', ...[...peakRss].map(([name, bytes]) => `| ${name} | ${(bytes / 2 ** 20).toFixed(0)} MB |`),
  ].join('\n')
  console.log(`\n${report}`)
  mkdirSync(here('results/'), { recursive: true })
  const out = here(options.quick || options.only !== undefined ? 'results/partial-pg.json.tmp' : 'results/latest-pg.json')
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, postgres: version, postgresPinned: false }
  writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), quick: options.quick, timing, minutes, load, machine, pinned, peakRssBytes: Object.fromEntries(peakRss), comparisons: results, runs }, null, 2)}\n`)
  console.log(`\nFigures written to ${relative(process.cwd(), out)}`)
}
