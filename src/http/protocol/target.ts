import type { Context } from 'koa'
import { problem } from '../reply/problem.ts'
import { problemReply, type Reply } from '../reply/reply.ts'

const plainPath = /^\/(?:[!-.0-[\]-~][!-~]*)?$/

/** Whether Koa can read the request target as a URI (Node passes on some it cannot, like `http://[::1/`). */
export function targetParses(ctx: Context): boolean {
  // The usual target, a path of visible ASCII not starting with `//` (nor `/\`, a slash to the WHATWG parser), always parses.
  if (plainPath.test(ctx.originalUrl)) return true
  // The WHATWG parser first: Koa's (url.parse) prints a deprecation warning on such targets before it throws.
  if (!URL.canParse(ctx.originalUrl, 'http://localhost')) return false
  try {
    return typeof ctx.path === 'string'
  } catch {
    return false
  }
}

/** The 400 for a target that is not a URI, answered before routing (which would throw on it). */
export const badTarget: Reply = problemReply(problem('malformed-request', 'The request target is not a valid URI.'))

/** The problem's `instance`: the target, its path alone when long, and never a throw on a target that does not parse. */
export function instanceOf(ctx: Context): string {
  if (!targetParses(ctx)) return encodeURI(ctx.originalUrl.slice(0, 2048))
  return ctx.originalUrl.length > 2048 ? ctx.path.slice(0, 2048) : ctx.originalUrl
}
