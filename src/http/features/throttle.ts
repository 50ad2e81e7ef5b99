import type { Admission } from '../../auth/rate-limit.ts'
import type { Exchange } from '../graph/exchange.ts'

/** Whose bucket a request draws from: the principal's, else the client address's. */
const callerKey = (x: Exchange): string =>
  x.principal === undefined ? `ip:${x.ctx.ip}` : `principal:${x.principal.tenant}/${x.principal.id}`

/** B8a: one token from the caller's bucket; /health and /ready are exempt so monitors never see 429. */
export function throttle(x: Exchange): Admission {
  if (x.app.rateLimiter === undefined || x.route.kind === 'health' || x.route.kind === 'ready') return { ok: true }
  return x.app.rateLimiter.take(callerKey(x))
}
