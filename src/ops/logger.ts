import { createRequire } from 'node:module'
import { pino, type DestinationStream, type Logger } from 'pino'

/** How an app logs: a pino logger of your own, or a level (and format) for the one it makes. */
export interface LogOptions {
  /** A pino logger to log to; `logLevel` and `LOG_LEVEL` are then yours to set on it. */
  readonly logger?: Logger
  /** fatal, error, warn, info, debug, trace or silent (also `LOG_LEVEL`; default warn: unexpected errors only). */
  readonly logLevel?: string
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/**
 * The app's logger: the one passed in, else JSON lines on stdout at `LOG_LEVEL`, or lines for
 * people with `LOG_FORMAT=pretty` (pino-pretty, a development tool, loaded only then).
 * An embedded app logs only what goes wrong unless asked for more; `affordance serve` asks for info.
 */
export function loggerOf(options: LogOptions, env: NodeJS.ProcessEnv = process.env, destination?: DestinationStream): Logger {
  if (options.logger !== undefined) return options.logger
  const level = options.logLevel ?? (env.LOG_LEVEL === undefined || env.LOG_LEVEL === '' ? 'warn' : env.LOG_LEVEL)
  if (!(logLevels as readonly string[]).includes(level)) throw new Error(`LOG_LEVEL "${level.slice(0, 40)}" is not one of ${logLevels.join(', ')}`)
  const format = env.LOG_FORMAT ?? ''
  if (format !== '' && format !== 'json' && format !== 'pretty') throw new Error(`LOG_FORMAT "${format.slice(0, 40)}" is not json or pretty`)
  const settings = { level, base: { pid: process.pid } }
  if (format !== 'pretty') return destination === undefined ? pino(settings) : pino(settings, destination)
  return pino(settings, prettyStream(destination))
}

/** pino-pretty, synchronous so that no line is lost on exit; a clear error when it is not installed. */
function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  let pretty: (o: object) => DestinationStream
  try {
    pretty = createRequire(import.meta.url)('pino-pretty') as typeof pretty
  } catch {
    throw new Error('LOG_FORMAT=pretty needs the pino-pretty package: npm install --save-dev pino-pretty')
  }
  return pretty({ sync: true, ...(destination !== undefined && { destination }) })
}
