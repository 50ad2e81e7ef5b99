import autocannon from 'autocannon'
import type { Plan } from './scenarios.ts'
import type { BenchServer } from './servers.ts'

/** The figures of one autocannon run against one server (or of side-by-side runs against several). */
export interface Measurement {
  readonly requests: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
  /** Server CPU (user + system, every server measured together) per completed request, in microseconds. */
  readonly cpuMicrosPerRequest: number
  /** Highest resident set size sampled during the run, in bytes (of the largest server). */
  readonly peakRss: number
  /** Responses with another status than the scenario expects, plus socket errors and timeouts. */
  readonly unexpected: number
}

/** What one load generator saw of its server. */
export interface Share {
  readonly requests: number
  readonly p50: number
  readonly p99: number
  /** Socket errors and timeouts. */
  readonly errors: number
}

/** `total` connections dealt out to `parts` load generators as evenly as they go, the first ones taking any remainder. */
export function splitConnections(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0))
}

/**
 * The figures of load generators run side by side for `seconds`, one per server: requests and
 * errors add up, server CPU is spread over every request; a percentile is the highest of the
 * generators' (their pooled latencies are not kept), which bounds the pooled one from above.
 */
export function sumShares(shares: readonly Share[], seconds: number, serverCpuMicros: number): Pick<Measurement, 'requests' | 'rps' | 'p50' | 'p99' | 'cpuMicrosPerRequest'> & { errors: number } {
  const requests = shares.reduce((sum, s) => sum + s.requests, 0)
  return {
    requests,
    rps: requests / seconds,
    p50: Math.max(...shares.map((s) => s.p50)),
    p99: Math.max(...shares.map((s) => s.p99)),
    cpuMicrosPerRequest: requests === 0 ? 0 : serverCpuMicros / requests,
    errors: shares.reduce((sum, s) => sum + s.errors, 0),
  }
}

/**
 * Runs one scenario for `seconds` with `connections`, reading the servers' CPU time before and
 * after. Given several servers (instances sharing one database), one load generator per server
 * runs at the same time with its share of the connections, each on its own copy of the plan.
 */
export async function measure(servers: BenchServer | readonly BenchServer[], plan: (unexpected: { count: number }) => Plan, connections: number, seconds: number): Promise<Measurement> {
  const targets: readonly BenchServer[] = Array.isArray(servers) ? servers : [servers]
  const unexpected = { count: 0 }
  const loads = splitConnections(connections, targets.length).map((c, i) => ({ server: targets[i] as BenchServer, connections: c, options: plan(unexpected).options }))
  const rss = (): number => Math.max(...targets.map((s) => s.rss()))
  let peakRss = rss()
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rss())
  }, 50)
  const cpu = (): number => targets.reduce((sum, s) => sum + s.cpuMicros(), 0)
  const cpuBefore = cpu()
  try {
    const results = await Promise.all(loads.map((l) => autocannon({ ...l.options, url: l.server.url, connections: l.connections, duration: seconds, timeout: 10 })))
    const sum = sumShares(results.map((r) => ({ requests: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts })), seconds, cpu() - cpuBefore)
    return {
      requests: sum.requests,
      rps: sum.rps,
      p50: sum.p50,
      p99: sum.p99,
      cpuMicrosPerRequest: sum.cpuMicrosPerRequest,
      peakRss: Math.max(peakRss, rss()),
      unexpected: unexpected.count + sum.errors,
    }
  } finally {
    clearInterval(sampler)
  }
}

/** What the warm-up and the rounds need to know of a measure. */
interface Interleaved { readonly kind: string }

/** The timing of a bench run: rounds of `seconds` at each connection count, after a warm-up. */
export interface Timing { readonly rounds: number; readonly seconds: number; readonly warmup: number; readonly writeWarmup: number; readonly connections: readonly number[] }

/**
 * Warms every measure up at 10 connections, then runs the rounds: in each, every connection
 * count, and at each every measure in turn (A B A B), handing each result to `record`.
 */
export async function interleave<M extends Interleaved, R>(live: readonly M[], timing: Timing, once: (m: M, connections: number, seconds: number) => Promise<R>, record: (m: M, round: number, connections: number, result: R) => void): Promise<void> {
  // A fresh copy of a database takes writes slowly for its first seconds (new file blocks,
  // a cold cache), Affordance and the baseline alike: writes warm up until they reach their steady pace.
  for (const m of live) await once(m, 10, m.kind === 'post' ? timing.writeWarmup : timing.warmup)
  for (let round = 1; round <= timing.rounds; round++) {
    for (const connections of timing.connections) {
      for (const m of live) record(m, round, connections, await once(m, connections, timing.seconds))
    }
  }
}
