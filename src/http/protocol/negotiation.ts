import type { Context } from 'koa'
import { fieldOf } from './request-field.ts'

// Keyed by the offer list itself: lists built per request are simply never found again.
const memo = new WeakMap<readonly string[], Map<string, string | false>>()
// Clients send few distinct Accept fields; a bound keeps a hostile client from growing the map.
const LIMIT = 256

/**
 * Koa's `ctx.accepts` over the offered media types, remembered per offer list and
 * Accept field: the answer depends on nothing else, and parsing Accept is per-request work.
 */
export function acceptedType(ctx: Context, offered: readonly string[]): string | false {
  let answers = memo.get(offered)
  if (answers === undefined) {
    answers = new Map()
    memo.set(offered, answers)
  }
  const field = fieldOf(ctx, 'accept')
  let chosen = answers.get(field)
  if (chosen === undefined) {
    const answer = ctx.accepts(...offered)
    chosen = typeof answer === 'string' ? answer : false
    if (answers.size >= LIMIT) answers.clear()
    answers.set(field, chosen)
  }
  return chosen
}
