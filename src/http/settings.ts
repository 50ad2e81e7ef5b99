import type { Settings } from './graph/exchange.ts'
import { retentionOf } from './features/idempotency.ts'
import { rateLimitFromEnv, type RateLimit } from '../auth/rate-limit.ts'
import { hostRulesOf } from './protocol/origin.ts'

/** The options of `createApp` that become its settings. */
export interface SettingsOptions {
  /** Answer 503 to everything but /health (also `MAINTENANCE=1`). */
  readonly maintenance?: boolean
  /** Send `Affordance-Trace` with the decision path (also `AFFORDANCE_TRACE=1`). */
  readonly trace?: boolean
  readonly maxUriLength?: number
  readonly maxBodyBytes?: number
  readonly maxJsonDepth?: number
  /** Time to receive a request body, in ms (default 20 s; also `BODY_TIMEOUT_MS`); then 408 and the connection is closed. */
  readonly bodyTimeoutMs?: number
  /** The path the app is served under, e.g. `/api` (also `BASE_PATH`): every URL it sends starts with it. */
  readonly basePath?: string
  /** Origin for absolute links (Siren), e.g. `https://api.example.org` (also `PUBLIC_URL`). */
  readonly publicUrl?: string
  /** Host names (optionally `name:port`) a proxy may send besides the public URL's and the listening address (also `ALLOWED_HOSTS`, comma-separated). */
  readonly allowedHosts?: readonly string[]
  /** The clock, for tests. */
  readonly now?: () => number
  /** Per-caller token bucket (default 600 burst, 100/s; also `RATE_LIMIT_BURST`, `RATE_LIMIT_PER_SECOND`); false for none. */
  readonly rateLimit?: RateLimit | false
  /** How long a token issued by a sign-in works, in ms (default 12 h; also `SESSION_TTL_SECONDS`). */
  readonly sessionTtlMs?: number
  /** How long responses are kept for Idempotency-Key retries, in ms (default and minimum: 24 h). */
  readonly idempotencyRetentionMs?: number
}

const flag = (v: string | undefined): boolean => v === '1' || v === 'true'

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} "${v}" is not a positive whole number`)
  return n
}

/** Limits and switches from the options, else the environment, else the defaults; refuses to start on a nonsensical one. */
export function settingsOf(options: SettingsOptions, env: NodeJS.ProcessEnv = process.env): Settings {
  const publicUrl = publicUrlOf(options.publicUrl ?? env.PUBLIC_URL)
  return {
    maintenance: options.maintenance ?? flag(env.MAINTENANCE),
    retryAfter: 120,
    trace: options.trace ?? flag(env.AFFORDANCE_TRACE),
    maxUriLength: options.maxUriLength ?? 8192,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    maxJsonDepth: options.maxJsonDepth ?? 32,
    bodyTimeoutMs: options.bodyTimeoutMs ?? positive('BODY_TIMEOUT_MS', env.BODY_TIMEOUT_MS) ?? 20_000,
    defaultPageSize: 20,
    maxPageSize: 100,
    now: options.now ?? Date.now,
    basePath: basePathOf(options.basePath, env.BASE_PATH),
    ...publicUrl,
    hosts: hostRulesOf(publicUrl.publicUrl, options.allowedHosts ?? (env.ALLOWED_HOSTS ?? '').split(',')),
    rateLimit: options.rateLimit ?? rateLimitFromEnv(env),
    idempotencyRetentionMs: retentionOf(options.idempotencyRetentionMs),
    sessionTtlMs: sessionTtlOf(options.sessionTtlMs, env.SESSION_TTL_SECONDS),
  }
}

/** The lifetime of sign-in tokens: the option, else `SESSION_TTL_SECONDS`, else 12 h. */
function sessionTtlOf(option: number | undefined, env: string | undefined): number {
  const ms = option ?? (env === undefined || env === '' ? 12 * 3600 * 1000 : Number(env) * 1000)
  if (!Number.isSafeInteger(ms) || ms < 1000) throw new Error(`session lifetime "${option ?? env ?? ''}" must be a whole number of seconds, at least 1`)
  return ms
}

/** The origin absolute links use (`PUBLIC_URL`); it must be an http(s) URL. */
function publicUrlOf(raw: string | undefined): { publicUrl?: string } {
  if (raw === undefined || raw === '') return {}
  if (!URL.canParse(raw) || !/^https?:\/\/[^/]+\/?$/.test(raw)) throw new Error(`PUBLIC_URL "${raw}" must be an http(s) origin such as https://api.example.org`)
  return { publicUrl: raw.replace(/\/$/, '') }
}

// Segments a URL carries as they are: no dot segments, nothing to percent-encode or to normalise.
const BASE_PATH = /^(?:\/(?!\.{1,2}(?:\/|$))[A-Za-z0-9._~-]+)+$/

/** Whether a base path can be served as it is written: `''`, `/`, or plain segments such as `/api`. */
export const isBasePath = (raw: string): boolean => raw === '' || raw === '/' || (raw.length <= 200 && BASE_PATH.test(raw))

/** The path prefix of every route and link: the option, else `BASE_PATH`; `''` (or `/`) for the root. */
function basePathOf(option: string | undefined, env: string | undefined): string {
  const raw = option ?? env ?? ''
  if (raw === '' || raw === '/') return ''
  if (isBasePath(raw)) return raw
  const name = option === undefined ? 'BASE_PATH' : 'basePath'
  const shown = JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)
  throw new Error(`${name} ${shown} must be a path such as /api: one leading slash, no trailing slash, segments of letters, digits and - . _ ~`)
}
