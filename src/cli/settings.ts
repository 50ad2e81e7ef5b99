import { logLevels } from '../ops/logger.ts'
import { isBasePath } from '../http/settings.ts'

/** One setting of the command line: a flag and an environment variable for the same value; the flag wins. */
interface Setting {
  readonly flag: string
  readonly env: string
  readonly help: string
  /** The value, or why it is refused (a phrase completing `NAME "value" …`). */
  readonly parse: (raw: string) => { ok: true; value: string | number } | { ok: false; why: string }
}

type Parsed = ReturnType<Setting['parse']>
const ok = (value: string | number): Parsed => ({ ok: true, value })
const no = (why: string): Parsed => ({ ok: false, why })

const port = (raw: string): Parsed => (/^\d{1,5}$/.test(raw) && Number(raw) <= 65535 ? ok(Number(raw)) : no('is not a port number (0 to 65535)'))
const wholePositive = (raw: string): Parsed => (/^\d+$/.test(raw) && Number.isSafeInteger(Number(raw)) && Number(raw) > 0 ? ok(Number(raw)) : no('is not a positive whole number'))
const positive = (raw: string): Parsed => (/^\d+(\.\d+)?$/.test(raw) && Number(raw) > 0 ? ok(Number(raw)) : no('is not a positive number'))
const text = (raw: string): Parsed => (raw.trim() === '' ? no('is empty') : ok(raw))
const host = (raw: string): Parsed => (/^[A-Za-z0-9.:[\]-]{1,253}$/.test(raw) ? ok(raw) : no('is not a host name or IP address'))
const origin = (raw: string): Parsed => (URL.canParse(raw) && /^https?:\/\/[^/]+\/?$/.test(raw) ? ok(raw) : no('is not an http(s) origin such as https://api.example.org'))
const hostList = (raw: string): Parsed => (raw.split(',').every((h) => /^[A-Za-z0-9.[\]:-]{1,253}$/.test(h.trim())) ? ok(raw) : no('is not a comma-separated list of host names (optionally name:port)'))
const basePath = (raw: string): Parsed => (isBasePath(raw) ? ok(raw) : no('is not a path such as /api: one leading slash, no trailing slash, segments of letters, digits and - . _ ~'))
const logLevel = (raw: string): Parsed => ((logLevels as readonly string[]).includes(raw) ? ok(raw) : no(`is not one of ${logLevels.join(', ')}`))

/** Every setting the commands read, in the order `--help` lists them. */
const settings = {
  port: { flag: '--port', env: 'PORT', help: 'port to listen on, 0 for any free one (default 3000)', parse: port },
  host: { flag: '--host', env: 'HOST', help: 'address to listen on (default 127.0.0.1)', parse: host },
  database: { flag: '--database', env: 'DATABASE_URL', help: 'SQLite file, created with its folder if missing, or :memory:, or a postgres:// URL (default data/affordance.db)', parse: text },
  databasePoolSize: { flag: '--database-pool-size', env: 'DATABASE_POOL_SIZE', help: 'PostgreSQL connections per instance (default 10)', parse: wholePositive },
  databasePoolTimeoutMs: { flag: '--database-pool-timeout-ms', env: 'DATABASE_POOL_TIMEOUT_MS', help: 'how long a request waits for a PostgreSQL connection before a 503 (default 2000)', parse: wholePositive },
  publicUrl: { flag: '--public-url', env: 'PUBLIC_URL', help: 'origin for absolute links, e.g. https://api.example.org', parse: origin },
  basePath: { flag: '--base-path', env: 'BASE_PATH', help: 'path every route and link is served under, e.g. /api (default: the root)', parse: basePath },
  allowedHosts: { flag: '--allowed-hosts', env: 'ALLOWED_HOSTS', help: 'further Host names a proxy may send, comma-separated', parse: hostList },
  logLevel: { flag: '--log-level', env: 'LOG_LEVEL', help: `${logLevels.join(', ')} (default info); LOG_FORMAT=pretty for people`, parse: logLevel },
  metricsPort: { flag: '--metrics-port', env: 'METRICS_PORT', help: 'port for Prometheus metrics at /metrics, never served on PORT (default none)', parse: port },
  metricsHost: { flag: '--metrics-host', env: 'METRICS_HOST', help: 'address the metrics port listens on (default 127.0.0.1)', parse: host },
  headersTimeoutMs: { flag: '--headers-timeout-ms', env: 'HEADERS_TIMEOUT_MS', help: 'time to receive the request head (default 20000)', parse: wholePositive },
  requestTimeoutMs: { flag: '--request-timeout-ms', env: 'REQUEST_TIMEOUT_MS', help: 'time to receive the whole request (default 60000)', parse: wholePositive },
  bodyTimeoutMs: { flag: '--body-timeout-ms', env: 'BODY_TIMEOUT_MS', help: 'time to receive a request body (default 20000)', parse: wholePositive },
  maxConnections: { flag: '--max-connections', env: 'MAX_CONNECTIONS', help: 'open connections at once (default 1024)', parse: wholePositive },
  rateLimitBurst: { flag: '--rate-limit-burst', env: 'RATE_LIMIT_BURST', help: 'requests a caller may burst (default 600)', parse: positive },
  rateLimitPerSecond: { flag: '--rate-limit-per-second', env: 'RATE_LIMIT_PER_SECOND', help: 'requests per second a caller regains (default 100)', parse: positive },
  sessionTtlSeconds: { flag: '--session-ttl-seconds', env: 'SESSION_TTL_SECONDS', help: 'lifetime of a sign-in token (default 43200)', parse: wholePositive },
  shutdownTimeoutMs: { flag: '--shutdown-timeout-ms', env: 'SHUTDOWN_TIMEOUT_MS', help: 'time requests in flight get to finish on SIGTERM or SIGINT, then they are cut (default 8000)', parse: wholePositive },
} as const satisfies Record<string, Setting>

export type SettingName = keyof typeof settings
export type Values = Partial<Record<SettingName, string | number>>

/** The settings a command reads, with the arguments left for the command itself, or one line per mistake. */
export type SettingsResult = { ok: true; values: Values; rest: string[] } | { ok: false; errors: string[] }

// Echoed values are cut short: a mistake is reported in one line, whatever was pasted.
const shown = (raw: string): string => JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)

/** Reads the named settings from flags (`--port 8080` or `--port=8080`) and then the environment; every mistake is reported, not just the first. */
export function readSettings(names: readonly SettingName[], argv: readonly string[], env: NodeJS.ProcessEnv): SettingsResult {
  const byFlag = new Map(names.map((n) => [settings[n].flag as string, n]))
  const raw = new Map<SettingName, { source: string; value: string }>()
  const rest: string[] = []
  const errors: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') {
      rest.push(...argv.slice(i))
      break
    }
    const eq = arg.indexOf('=')
    const flag = eq === -1 ? arg : arg.slice(0, eq)
    const name = byFlag.get(flag)
    if (name === undefined) {
      rest.push(arg)
      continue
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1)
    if (value === undefined) errors.push(`${flag} needs a value`)
    else raw.set(name, { source: flag, value })
  }
  for (const name of names) {
    const fromEnv = env[settings[name].env]
    if (!raw.has(name) && fromEnv !== undefined && fromEnv !== '') raw.set(name, { source: settings[name].env, value: fromEnv })
  }
  const values: Values = {}
  for (const [name, { source, value }] of raw) {
    const parsed = settings[name].parse(value)
    if (parsed.ok) values[name] = parsed.value
    else errors.push(`${source} ${shown(value)} ${parsed.why}`)
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values, rest }
}

/** The lines `--help` shows for the named settings. */
export function settingsHelp(names: readonly SettingName[]): string {
  const flags = Math.max(...names.map((n) => settings[n].flag.length))
  const envs = Math.max(...names.map((n) => settings[n].env.length))
  return names.map((n) => `  ${settings[n].flag.padEnd(flags)}  ${settings[n].env.padEnd(envs)}  ${settings[n].help}`).join('\n')
}
