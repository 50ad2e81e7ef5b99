import type { Measurement } from './measure.ts'

/** One measured run, as the JSON results keep it. */
export interface Run extends Measurement {
  readonly round: number
  readonly measure: string
  readonly server: string
  readonly connections: number
}

/** A ratio of two measures, checked against a target, per connection count. */
export interface Comparison {
  readonly name: string
  readonly a: string
  readonly b: string
  /** `rps`: a's req/s over b's; `latency`: a's mean latency over b's (b's req/s over a's, same connections). */
  readonly metric: 'rps' | 'latency'
  readonly target?: { readonly op: '>=' | '<='; readonly value: number }
}

export interface ComparisonResult extends Comparison {
  readonly connections: number
  readonly ratios: readonly number[]
  readonly median: number | undefined
  readonly met: boolean | undefined
  /** The same ratio from server CPU per request (b's µs over a's, for `rps`), the figure noise moves least. */
  readonly cpuMedian: number | undefined
}

export const median = (values: readonly number[]): number | undefined => {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((x, y) => x - y)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Works out every comparison from the runs, round by round. */
export function compare(comparisons: readonly Comparison[], runs: readonly Run[], connections: readonly number[], rounds: number): ComparisonResult[] {
  const find = (measure: string, c: number, round: number): Run | undefined => runs.find((r) => r.measure === measure && r.connections === c && r.round === round)
  return comparisons.flatMap((cmp) => connections.map((c) => {
    const ratios: number[] = []
    const cpuRatios: number[] = []
    for (let round = 1; round <= rounds; round++) {
      const a = find(cmp.a, c, round)
      const b = find(cmp.b, c, round)
      if (a === undefined || b === undefined || a.rps === 0 || b.rps === 0) continue
      ratios.push(cmp.metric === 'rps' ? a.rps / b.rps : b.rps / a.rps)
      if (a.cpuMicrosPerRequest > 0 && b.cpuMicrosPerRequest > 0) {
        cpuRatios.push(cmp.metric === 'rps' ? b.cpuMicrosPerRequest / a.cpuMicrosPerRequest : a.cpuMicrosPerRequest / b.cpuMicrosPerRequest)
      }
    }
    const m = median(ratios)
    const met = m === undefined || cmp.target === undefined ? undefined : cmp.target.op === '>=' ? m >= cmp.target.value : m <= cmp.target.value
    return { ...cmp, connections: c, ratios, median: m, met, cpuMedian: median(cpuRatios) }
  }))
}

const num = (n: number): string => Math.round(n).toLocaleString('en')

/** The runs of one measure at one connection count, summarised by their medians. */
function summary(runs: readonly Run[], measure: string, connections: number): { rps: number; p50: number; p99: number; cpu: number; unexpected: number } | undefined {
  const mine = runs.filter((r) => r.measure === measure && r.connections === connections)
  if (mine.length === 0) return undefined
  const med = (f: (r: Run) => number): number => median(mine.map(f)) ?? 0
  return { rps: med((r) => r.rps), p50: med((r) => r.p50), p99: med((r) => r.p99), cpu: med((r) => r.cpuMicrosPerRequest), unexpected: mine.reduce((s, r) => s + r.unexpected, 0) }
}

/** A Markdown table: one line per measure and connection count (medians over rounds). */
export function measuresTable(runs: readonly Run[], labels: ReadonlyMap<string, string>, unavailable: readonly string[], connections: readonly number[]): string {
  const lines = ['| scenario | server | conns | req/s | p50 ms | p99 ms | CPU µs/req | bad responses |', '|---|---|---:|---:|---:|---:|---:|---:|']
  for (const [measure, label] of labels) {
    for (const c of connections) {
      const server = runs.find((r) => r.measure === measure)?.server ?? ''
      const s = summary(runs, measure, c)
      if (s === undefined) {
        if (unavailable.includes(measure)) lines.push(`| ${label} | | ${c} | not available | | | | |`)
        continue
      }
      lines.push(`| ${label} | ${server} | ${c} | ${num(s.rps)} | ${s.p50} | ${s.p99} | ${s.cpu.toFixed(0)} | ${s.unexpected} |`)
    }
  }
  return lines.join('\n')
}

/** A Markdown table of the ratios, each round and the median, against its target. */
export function ratiosTable(results: readonly ComparisonResult[]): string {
  const lines = ['| ratio | conns | per round | median | target | met | same ratio from CPU µs/req |', '|---|---:|---|---:|---|---|---:|']
  for (const r of results) {
    const target = r.target === undefined ? '' : `${r.target.op} ${r.target.value}`
    const met = r.met === undefined ? (r.median === undefined ? 'not available' : '') : r.met ? 'yes' : '**no**'
    lines.push(`| ${r.name} | ${r.connections} | ${r.ratios.map((x) => x.toFixed(2)).join(' · ')} | ${r.median?.toFixed(2) ?? '–'} | ${target} | ${met} | ${r.cpuMedian?.toFixed(2) ?? '–'} |`)
  }
  return lines.join('\n')
}

/** The targets that are not ratios: p99 at the highest connection count, peak RSS. */
export function absoluteTargets(runs: readonly Run[], peakRss: ReadonlyMap<string, number>, connections: number): { name: string; value: string; target: string; met: boolean | undefined }[] {
  const p99 = (measure: string): number | undefined => summary(runs, measure, connections)?.p99
  const check = (name: string, value: number | undefined, limit: number, unit: string) =>
    ({ name, value: value === undefined ? 'not measured' : `${value.toFixed(0)} ${unit}`, target: `< ${limit} ${unit}`, met: value === undefined ? undefined : value < limit })
  const affordanceRss = [...peakRss].filter(([name]) => name.startsWith('affordance')).map(([, bytes]) => bytes / 2 ** 20)
  return [
    check(`p99 GET resource at ${connections} connections`, p99('get-json'), 5, 'ms'),
    check(`p99 POST transition at ${connections} connections`, p99('post-json'), 25, 'ms'),
    check(`peak RSS of Affordance at ${connections} connections`, affordanceRss.length === 0 ? undefined : Math.max(...affordanceRss), 200, 'MB'),
  ]
}

/** A Markdown table of the targets that are not ratios. */
export function absoluteTable(rows: ReturnType<typeof absoluteTargets>): string {
  return ['| target | measured | limit | met |', '|---|---:|---|---|', ...rows.map((r) => `| ${r.name} | ${r.value} | ${r.target} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |`)].join('\n')
}

/** The line printed as each run ends. */
export const progressLine = (measure: string, round: number, connections: number, m: Measurement): string =>
  `  round ${round} ${measure.padEnd(22)} ${String(connections).padStart(3)} conns ${Math.round(m.rps).toString().padStart(7)} req/s  p50 ${m.p50} p99 ${m.p99} ms  ${m.cpuMicrosPerRequest.toFixed(0)} µs/req${m.unexpected > 0 ? `  ${m.unexpected} bad` : ''}`

/** Where the machine's CPU went during one run, which tells what capped it. */
export interface MachineUse {
  /** CPU of the PostgreSQL processes working for the bench, per request, in microseconds. */
  readonly postgresMicrosPerRequest: number
  /** CPU of the load generator's process, per request, in microseconds. */
  readonly generatorMicrosPerRequest: number
  /** Share of one core the servers used (they share one core). */
  readonly serverCore: number
  /** Share of all cores that was busy, whoever used it. */
  readonly machineBusy: number
  /** Share of each core that was busy, whoever used it. */
  readonly coreBusy: readonly number[]
  /** Share of all cores used by none of the servers, PostgreSQL's bench processes or the load generator. */
  readonly othersBusy: number
}

/** CPU time spent during one run, in microseconds, as read before and after it. */
export interface CpuSpent {
  readonly elapsed: number
  readonly requests: number
  readonly servers: number
  readonly postgres: number
  readonly generator: number
  readonly machineBusy: number
  readonly machineTotal: number
  /** Busy and in all, per core. */
  readonly cores: readonly { readonly busy: number; readonly total: number }[]
}

/** Shares and per-request costs from the CPU time a run spent. */
export function machineUse(spent: CpuSpent): MachineUse {
  const perRequest = (micros: number): number => (spent.requests === 0 ? 0 : micros / spent.requests)
  const share = (micros: number, of: number): number => (of <= 0 ? 0 : micros / of)
  return {
    postgresMicrosPerRequest: perRequest(spent.postgres),
    generatorMicrosPerRequest: perRequest(spent.generator),
    serverCore: share(spent.servers, spent.elapsed),
    machineBusy: share(spent.machineBusy, spent.machineTotal),
    coreBusy: spent.cores.map((c) => share(c.busy, c.total)),
    othersBusy: share(Math.max(0, spent.machineBusy - spent.servers - spent.postgres - spent.generator), spent.machineTotal),
  }
}

/** A run of the PostgreSQL mode: the measure and where the machine's CPU went. */
export interface MachineRun extends Run, MachineUse {}

const percent = (share: number): string => `${Math.round(share * 100)} %`

/** A Markdown table of the PostgreSQL mode: one line per measure and connection count (medians over rounds), with every CPU figure. */
export function machineTable(runs: readonly MachineRun[], labels: ReadonlyMap<string, string>, servers: ReadonlyMap<string, string>, connections: readonly number[]): string {
  const lines = [
    '| scenario | server | conns | req/s | p50 ms | p99 ms | server CPU µs/req | PostgreSQL CPU µs/req | load generator CPU µs/req | server core busy | cores busy (0 · 1 · …) | others | bad responses |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const [measure, label] of labels) {
    for (const c of connections) {
      const mine = runs.filter((r) => r.measure === measure && r.connections === c)
      if (mine.length === 0) continue
      const med = (f: (r: MachineRun) => number): number => median(mine.map(f)) ?? 0
      lines.push(`| ${label} | ${servers.get(measure) ?? ''} | ${c} | ${num(med((r) => r.rps))} | ${med((r) => r.p50)} | ${med((r) => r.p99)} | ${med((r) => r.cpuMicrosPerRequest).toFixed(0)} | ${med((r) => r.postgresMicrosPerRequest).toFixed(0)} | ${med((r) => r.generatorMicrosPerRequest).toFixed(0)} | ${percent(med((r) => r.serverCore))} | ${(mine[0]?.coreBusy ?? []).map((_, i) => percent(med((r) => r.coreBusy[i] ?? 0))).join(' · ')} | ${percent(med((r) => r.othersBusy))} | ${mine.reduce((s, r) => s + r.unexpected, 0)} |`)
    }
  }
  return lines.join('\n')
}
