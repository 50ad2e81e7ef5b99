import { createServer, type Server } from 'node:http'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

/** What an app counts, each in its own registry: two apps in one process never share a series. */
export interface Metrics {
  readonly registry: Registry
  /** A request answered: its method, route template (null when none matched), status and duration. */
  request(method: string, route: string | null, status: number, seconds: number): void
  /** A transition committed. */
  transition(type: string, action: string, from: string, to: string): void
  /** A token looked up: found among those remembered, or not. */
  tokenLookup(hit: boolean): void
  /** Writes committed together in one transaction. */
  batch(size: number): void
  /** A WAL checkpoint that copied pages back. */
  checkpoint(seconds: number): void
  /** Reports a connection pool's counts at every scrape (a server database's). */
  watchConnections(read: () => ConnectionCounts): void
}

/** A connection pool at one moment: connections open, of which idle, and requests waiting for one. */
interface ConnectionCounts {
  readonly open: number
  readonly idle: number
  readonly waiting: number
}

// Methods come from callers: any other is one label, so no caller can grow the series.
const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** A registry with the framework's metrics and the process's default ones. */
export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const registers = [registry]
  const duration = new Histogram({ name: 'affordance_http_request_duration_seconds', help: 'Time to answer a request, by method, route template and status class.', labelNames: ['method', 'route', 'status_class'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers })
  const transitions = new Counter({ name: 'affordance_transitions_total', help: 'Transitions committed, by resource type, action, from state and to state.', labelNames: ['type', 'action', 'from', 'to'], registers })
  const refusals = new Counter({ name: 'affordance_refusals_total', help: 'Requests answered with a problem, by status.', labelNames: ['status'], registers })
  const tokens = new Counter({ name: 'affordance_token_cache_total', help: 'Token lookups, by whether the remembered principals held the token (hit) or the store was asked (miss).', labelNames: ['result'], registers })
  const batches = new Histogram({ name: 'affordance_group_commit_batch_size', help: 'Writes committed together in one transaction.', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], registers })
  const checkpoints = new Histogram({ name: 'affordance_checkpoint_duration_seconds', help: 'Time of WAL checkpoints that copied pages back to the database.', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers })
  return {
    registry,
    request(method, route, status, seconds) {
      duration.observe({ method: methods.has(method) ? method : 'other', route: route ?? 'unmatched', status_class: `${Math.floor(status / 100)}xx` }, seconds)
      if (status >= 400) refusals.inc({ status: String(status) })
    },
    transition: (type, action, from, to) => transitions.inc({ type, action, from, to }),
    tokenLookup: (hit) => tokens.inc({ result: hit ? 'hit' : 'miss' }),
    batch: (size) => batches.observe(size),
    checkpoint: (seconds) => checkpoints.observe(seconds),
    watchConnections(read) {
      new Gauge({
        name: 'affordance_database_connections',
        help: 'Database connections of this instance: busy, idle, and requests waiting for one (a full pool answers 503).',
        labelNames: ['state'],
        registers,
        collect() {
          const counts = read()
          this.set({ state: 'busy' }, counts.open - counts.idle)
          this.set({ state: 'idle' }, counts.idle)
          this.set({ state: 'waiting' }, counts.waiting)
        },
      })
    },
  }
}

/**
 * Serves `GET /metrics` from the registry on a port of its own, which only the network
 * that scrapes it should reach: the API port never serves metrics, to any caller.
 */
export function serveMetrics(registry: Registry, port: number, host: string, onError: (error: Error) => void): Server {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== '/metrics') return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: metrics are at /metrics\n')
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed\n')
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      (error: Error) => {
        onError(error)
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Metrics could not be collected\n')
      },
    )
  })
  server.on('error', onError)
  server.listen(port, host)
  return server
}
