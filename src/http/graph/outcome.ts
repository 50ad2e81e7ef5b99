import type { Exchange } from './exchange.ts'
import { problemReply, type Reply } from '../reply/reply.ts'
import type { Problem } from '../reply/problem.ts'

/**
 * The decision graph. Each cell answers one question and either names the next
 * cell or halts with a reply. Cell ids follow the webmachine v3 diagram where a
 * cell exists there; `b14`, `a1`, `b8a`, `g5`, `g6`, `p3`, `p4` are ours.
 */
export type Cell =
  | 'b8a' | 'b14' | 'a1' | 'b13' | 'b12' | 'b11' | 'b10' | 'b3' | 'b8' | 'b9' | 'b7' | 'b4' | 'b5'
  | 'g7' | 'g5' | 'g6' | 'g8' | 'g9' | 'g11' | 'h10' | 'h11' | 'h12' | 'i12' | 'i13' | 'k13' | 'j18'
  | 'l13' | 'l14' | 'l15' | 'l17' | 'c4' | 'p3' | 'p4' | 'n11' | 'o18'

export type Outcome = { readonly kind: 'next'; readonly cell: Cell } | { readonly kind: 'halt'; readonly reply: Reply }
export type Decision = (x: Exchange) => Outcome | Promise<Outcome>

// One frozen "go on to" value per cell: walking the graph allocates nothing per step.
const nextOf = new Map<Cell, Outcome>()
export const next = (cell: Cell): Outcome => {
  let outcome = nextOf.get(cell)
  if (outcome === undefined) {
    outcome = Object.freeze({ kind: 'next', cell })
    nextOf.set(cell, outcome)
  }
  return outcome
}
export const halt = (reply: Reply): Outcome => ({ kind: 'halt', reply })
export const fail = (p: Problem): Outcome => halt(problemReply(p))
