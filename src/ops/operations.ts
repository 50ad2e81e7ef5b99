import type { Server } from 'node:http'
import type { Logger } from 'pino'
import { loggerOf, type LogOptions } from './logger.ts'
import { createMetrics, serveMetrics, type Metrics } from './metrics.ts'

/** The options of `createApp` about running it: logs, metrics and readiness. */
export interface OperationsOptions extends LogOptions {
  /** Serve Prometheus metrics at `/metrics` on this port, never on the API's (also `METRICS_PORT`; 0 for any free one). */
  readonly metricsPort?: number
  /** The address the metrics port listens on (also `METRICS_HOST`; default 127.0.0.1). */
  readonly metricsHost?: string
  /** Count metrics without serving them, to expose `app.metrics` yourself (e.g. behind a role); implied by `metricsPort`. */
  readonly metrics?: boolean
}

/** An app's logger, its metrics (when on) and whether it is draining. */
export interface Operations {
  readonly logger: Logger
  readonly metrics: Metrics | undefined
  readonly metricsServer: Server | undefined
  /** True once `drain` was called: the app stops saying it is ready, and serves on. */
  readonly draining: boolean
  drain(): void
  /** True once `stopAdmitting` was called (it drains too): new requests get 503, every reply closes its connection. */
  readonly stopping: boolean
  stopAdmitting(): void
  close(): void
}

function metricsPortOf(option: number | undefined, env: string | undefined): number | undefined {
  if (option !== undefined) return option
  if (env === undefined || env === '') return undefined
  if (!/^\d{1,5}$/.test(env) || Number(env) > 65535) throw new Error(`METRICS_PORT "${env.slice(0, 40)}" is not a port number (0 to 65535)`)
  return Number(env)
}

/** The operations of one app, from its options, else the environment. */
export function operationsOf(options: OperationsOptions, env: NodeJS.ProcessEnv = process.env): Operations {
  const logger = loggerOf(options, env)
  const port = metricsPortOf(options.metricsPort, env.METRICS_PORT)
  const metrics = port !== undefined || options.metrics === true ? createMetrics() : undefined
  const host = options.metricsHost ?? (env.METRICS_HOST === undefined || env.METRICS_HOST === '' ? '127.0.0.1' : env.METRICS_HOST)
  const metricsServer = metrics !== undefined && port !== undefined
    ? serveMetrics(metrics.registry, port, host, (error) => logger.error({ err: error }, `metrics port ${host}:${port}: ${error.message}`))
    : undefined
  let draining = false
  let stopping = false
  return {
    logger,
    metrics,
    metricsServer,
    get draining() { return draining },
    drain() { draining = true },
    get stopping() { return stopping },
    stopAdmitting() {
      draining = true
      stopping = true
    },
    close() {
      metricsServer?.closeAllConnections()
      metricsServer?.close()
    },
  }
}
