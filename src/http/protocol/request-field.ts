import type { Context } from 'koa'

/**
 * A request field by its lower-case name, '' when absent: what Koa's `ctx.get` returns,
 * without lower-casing the name on each of the dozen reads a request gets.
 */
export const fieldOf = (ctx: Context, name: Lowercase<string>): string => (ctx.req.headers[name] as string | undefined) ?? ''
