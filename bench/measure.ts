import autocannon from 'autocannon'
import type { Plan } from './scenarios.ts'
import type { BenchServer } from './servers.ts'

/** The figures of one autocannon run against one server. */
export interface Measurement {
  readonly requests: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
  /** Server CPU (user + system) per completed request, in microseconds. */
  readonly cpuMicrosPerRequest: number
  /** Highest resident set size sampled during the run, in bytes. */
  readonly peakRss: number
  /** Responses with another status than the scenario expects, plus socket errors and timeouts. */
  readonly unexpected: number
}

/** Runs one scenario for `seconds` with `connections`, reading the server's CPU time before and after. */
export async function measure(server: BenchServer, plan: (unexpected: { count: number }) => Plan, connections: number, seconds: number): Promise<Measurement> {
  const unexpected = { count: 0 }
  const { options } = plan(unexpected)
  let peakRss = server.rss()
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, server.rss())
  }, 50)
  const cpuBefore = server.cpuMicros()
  try {
    const result = await autocannon({ ...options, url: server.url, connections, duration: seconds, timeout: 10 })
    const cpu = server.cpuMicros() - cpuBefore
    const requests = result.requests.total
    return {
      requests,
      rps: requests / seconds,
      p50: result.latency.p50,
      p99: result.latency.p99,
      cpuMicrosPerRequest: requests === 0 ? 0 : cpu / requests,
      peakRss: Math.max(peakRss, server.rss()),
      unexpected: unexpected.count + result.errors + result.timeouts,
    }
  } finally {
    clearInterval(sampler)
  }
}
