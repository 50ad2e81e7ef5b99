import type { Context } from 'koa'
import { problem } from './problem.ts'
import { problemReply } from './reply.ts'
import { writeReply, type ProblemOutput } from './respond.ts'

const internal = problemReply(problem('internal-error', 'Something went wrong on our side; the error has been logged.'))

/**
 * Answers an exception nobody expected with a 500 problem, so that Koa's own text
 * error never reaches a client — even when the problem page itself is what failed.
 */
export function writeUnexpected(ctx: Context, error: unknown, log: (error: unknown) => void, out: ProblemOutput): void {
  log(error)
  // Fields set before the failure describe a reply that was never sent; the request id still names this request.
  for (const name of Object.keys(ctx.response.headers)) if (name !== 'x-request-id') ctx.remove(name)
  try {
    writeReply(ctx, internal, undefined, out)
  } catch (pageError) {
    log(pageError)
    writeReply(ctx, internal, undefined, { base: out.base ?? '' })
  }
}
