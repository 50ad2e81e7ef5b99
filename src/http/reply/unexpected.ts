import type { Context } from 'koa'
import { StoreUnavailable } from '../../store/types.ts'
import { problem } from './problem.ts'
import { problemReply } from './reply.ts'
import { writeReply, type ProblemOutput } from './respond.ts'

const internal = problemReply(problem('internal-error', 'Something went wrong on our side; the error has been logged.'))

// A read did nothing, so it is safe to send again. A write whose connection broke while it
// committed may have taken effect: only its Idempotency-Key makes a resend safe.
const unavailable = (error: StoreUnavailable, method: string) =>
  problemReply(problem('service-unavailable', method === 'POST'
    ? 'The database cannot be reached just now. Resend with the same Idempotency-Key, which is safe whether or not this request took effect; without one, GET the resource first to see whether it did.'
    : 'The database cannot be reached just now; nothing was done, so the request is safe to send again.', { headers: { 'Retry-After': String(error.retryAfterSeconds) } }))

/**
 * Answers an exception nobody expected with a 500 problem, so that Koa's own text
 * error never reaches a client — even when the problem page itself is what failed. A
 * database out of reach is expected in operation: 503 with Retry-After.
 */
export function writeUnexpected(ctx: Context, error: unknown, log: (error: unknown) => void, out: ProblemOutput): void {
  log(error)
  // Fields set before the failure describe a reply that was never sent; the request id still names this request.
  for (const name of Object.keys(ctx.response.headers)) if (name !== 'x-request-id') ctx.remove(name)
  try {
    writeReply(ctx, error instanceof StoreUnavailable ? unavailable(error, ctx.method) : internal, undefined, out)
  } catch (pageError) {
    log(pageError)
    writeReply(ctx, internal, undefined, { base: out.base ?? '' })
  }
}
