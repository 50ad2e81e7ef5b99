import type Koa from 'koa'
import type { Principal } from '../fsm/types.ts'
import type { Operations } from './operations.ts'
import { requestIdOf } from './request-id.ts'

// Paths are logged for people to read, not to replay: cut short, never with the query (it may hold a cursor or worse).
const MAX_PATH = 200
const shortPath = (path: string): string => (path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path)

/** The request id of a request, set by `observeRequests`; undefined outside an app. */
export const requestIdIn = (ctx: Koa.Context): string | undefined => (ctx.state as { requestId?: string }).requestId

/**
 * Gives every request an id (the caller's `X-Request-Id` when well-formed), echoes it,
 * and when the answer is known logs one line and counts it. The line names the route's
 * template, the caller and their tenant: never a header, a token, a cookie or a body.
 */
export function observeRequests(ops: Operations): Koa.Middleware {
  return (ctx, next) => {
    const id = requestIdOf(ctx.headers['x-request-id'])
    ctx.state.requestId = id
    ctx.set('X-Request-Id', id)
    // Nothing to count and nothing to log at this level (an embedded app by default): no clock, no step after the answer.
    if (ops.metrics === undefined && !ops.logger.isLevelEnabled('info')) return next()
    const started = performance.now()
    const done = (): void => {
      const ms = performance.now() - started
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? null
      const principal = (ctx.state as { exchange?: { principal?: Principal } }).exchange?.principal
      ops.metrics?.request(ctx.method, route, ctx.status, ms / 1000)
      if (!ops.logger.isLevelEnabled('info')) return
      ops.logger.info({
        request_id: id, method: ctx.method, route, path: shortPath(ctx.path), status: ctx.status,
        duration_ms: Math.round(ms * 1000) / 1000, principal: principal?.id ?? null, tenant: principal?.tenant ?? null,
      }, 'request')
    }
    return next().then(done, (error: unknown) => {
      done()
      throw error
    })
  }
}
