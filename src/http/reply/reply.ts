import { problemKinds, type Problem } from './problem.ts'
import type { Status } from './status.ts'

/** The final answer to a request, written by one module (`respond.ts`). */
export interface Reply {
  readonly status: Status
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Buffer
  readonly type?: string
  readonly problem?: Problem
}

/** The one way a failure becomes a reply: its status is its kind's. */
export const problemReply = (p: Problem): Reply => ({ status: problemKinds[p.kind].status, problem: p })
