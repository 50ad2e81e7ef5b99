import type { IncomingMessage, ServerResponse } from 'node:http'
import type Koa from 'koa'

/** A request handler for node:http, Express or Connect: requests outside the app's base path go to `next` when there is one. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void

/** The path of a request target, origin-form or absolute-form, without parsing more than needed. */
function pathOf(target: string): string {
  if (target.startsWith('/')) {
    const end = target.indexOf('?')
    return end < 0 ? target : target.slice(0, end)
  }
  return URL.canParse(target) ? new URL(target).pathname : target
}

/** Whether a path is the base path or under it, segment by segment (`/apix` is not under `/api`). */
const underBase = (path: string, base: string): boolean => base === '' || path === base || path.startsWith(`${base}/`)

// Composed on first use, so that it holds whatever the app was given before it served anything.
const listenerOf = (koa: Koa): (() => ReturnType<Koa['callback']>) => {
  let listener: ReturnType<Koa['callback']> | undefined
  return () => (listener ??= koa.callback())
}

/**
 * The app as a node:http handler. Express strips its mount path from `req.url` and keeps the
 * whole target in `req.originalUrl`: the app reads the whole one, since every URL it sends
 * carries its base path.
 */
export function nodeHandler(koa: Koa, base: string): NodeHandler {
  const listener = listenerOf(koa)
  return (req, res, next) => {
    const original = (req as IncomingMessage & { originalUrl?: unknown }).originalUrl
    const target = typeof original === 'string' ? original : req.url ?? '/'
    if (next !== undefined && !underBase(pathOf(target), base)) {
      next()
      return
    }
    req.url = target
    // Koa's handler answers every failure itself (a 500 problem at worst): its promise never rejects.
    void listener()(req, res)
  }
}

/**
 * The app as middleware of another Koa app: requests under the base path are answered by this
 * app, with its own context, error handling and problems; others go on to the host's next middleware.
 */
export function koaMiddleware(koa: Koa, base: string): Koa.Middleware {
  const listener = listenerOf(koa)
  return (ctx, next) => {
    if (!underBase(pathOf(ctx.req.url ?? '/'), base)) return next()
    // This app writes the whole response: the host must not write one of its own after it.
    ctx.respond = false
    return listener()(ctx.req, ctx.res)
  }
}
