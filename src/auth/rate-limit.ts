/** A token bucket's size and how fast it refills. */
export interface RateLimit {
  /** Requests a caller may send in one burst. */
  readonly capacity: number
  /** Requests per second the bucket regains, up to its capacity. */
  readonly refillPerSecond: number
}

/** The generous default: bursts of 600, 100 requests per second sustained. */
export const DEFAULT_RATE_LIMIT: RateLimit = { capacity: 600, refillPerSecond: 100 }

export type Admission = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number }

/** Takes one token from a caller's bucket, or says how long to wait for one. */
export interface RateLimiter {
  take(caller: string): Admission
}

interface Bucket {
  tokens: number
  at: number
}

// Past this many callers, buckets that have refilled to full are forgotten: they carry no state.
const SWEEP_ABOVE = 10_000

/** A token bucket per caller; pure apart from the clock it is given. */
export function createRateLimiter(limit: RateLimit, now: () => number): RateLimiter {
  if (!(limit.capacity >= 1) || !(limit.refillPerSecond > 0)) throw new Error('rate limit: capacity must be ≥ 1 and refillPerSecond > 0')
  const buckets = new Map<string, Bucket>()
  const refill = (b: Bucket, t: number): void => {
    b.tokens = Math.min(limit.capacity, b.tokens + ((t - b.at) / 1000) * limit.refillPerSecond)
    b.at = t
  }
  const sweep = (t: number): void => {
    for (const [caller, b] of buckets) {
      refill(b, t)
      if (b.tokens >= limit.capacity) buckets.delete(caller)
    }
  }
  return {
    take(caller) {
      const t = now()
      let b = buckets.get(caller)
      if (b === undefined) {
        if (buckets.size >= SWEEP_ABOVE) sweep(t)
        b = { tokens: limit.capacity, at: t }
        buckets.set(caller, b)
      }
      refill(b, t)
      if (b.tokens >= 1) {
        b.tokens -= 1
        return { ok: true }
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / limit.refillPerSecond)) }
    },
  }
}

/** Reads `RATE_LIMIT_BURST` and `RATE_LIMIT_PER_SECOND`; `RATE_LIMIT=off` disables the limit. */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv, fallback: RateLimit = DEFAULT_RATE_LIMIT): RateLimit | false {
  if (env.RATE_LIMIT === 'off' || env.RATE_LIMIT === '0') return false
  const number = (v: string | undefined, d: number): number => {
    if (v === undefined || v === '') return d
    const n = Number(v)
    if (!Number.isFinite(n) || n <= 0) throw new Error(`rate limit: "${v}" is not a positive number`)
    return n
  }
  return { capacity: number(env.RATE_LIMIT_BURST, fallback.capacity), refillPerSecond: number(env.RATE_LIMIT_PER_SECOND, fallback.refillPerSecond) }
}
