import type { Context } from 'koa'

const memo = new Map<string, string | false>()
// Clients send few distinct Accept fields; a bound keeps a hostile client from growing the map.
const LIMIT = 256

/**
 * Koa's `ctx.accepts` over the offered media types, remembered per Accept field and
 * offer list: the answer depends on nothing else, and parsing Accept is per-request work.
 */
export function acceptedType(ctx: Context, offered: readonly string[]): string | false {
  const key = `${offered.join(',')}\n${ctx.get('Accept')}`
  let chosen = memo.get(key)
  if (chosen === undefined) {
    const answer = ctx.accepts(...offered)
    chosen = typeof answer === 'string' ? answer : false
    if (memo.size >= LIMIT) memo.clear()
    memo.set(key, chosen)
  }
  return chosen
}
