import { decide } from '../../legal-actions.ts'
import { keyClash, keyTakenMeanwhile, rememberReply } from '../features/idempotency.ts'
import { problem, type Problem } from '../reply/problem.ts'
import { refusalProblem } from '../reply/refusal.ts'
import { problemReply, type Reply } from '../reply/reply.ts'
import { ifMatchOf, type Handler } from './handler-kit.ts'
import { entryOf, item, rowOf, written } from './item.ts'

/** `POST /{collection}/{id}/{action}`: one transition, decided again inside its write. */
export const action: Handler = {
  hooks: item.hooks,
  async process(x) {
    const entry = entryOf(x)
    const seen = rowOf(x)
    const name = x.route.action as string
    const input = (x.input ?? {}) as Record<string, unknown>
    const hadIfMatch = ifMatchOf(x) !== undefined
    const principal = x.principal
    const outcome = await x.app.store.write((tx): { ok: true; reply: Reply; from: string; to: string } | { ok: false; problem: Problem } => {
      // Decide again inside the write transaction: the row may have moved since G7 read it.
      const fresh = tx.get(seen.id)
      if (fresh === undefined) return { ok: false, problem: problem('not-found', 'The resource is gone.') }
      const taken = keyTakenMeanwhile(x)
      if (taken !== undefined) return { ok: false, problem: taken }
      if (fresh.version !== seen.version && hadIfMatch) {
        return { ok: false, problem: problem('precondition-failed', 'The resource changed while your request waited (If-Match); GET it again and resubmit.', { extensions: { current_version: fresh.version, current_state: fresh.state } }) }
      }
      const verdict = decide(entry.type, fresh, name, principal)
      if (!verdict.ok) return { ok: false, problem: refusalProblem(verdict.error, fresh, entry.type, principal) }
      const data = entry.type.apply?.(fresh.data, name, input) ?? { ...fresh.data, ...input }
      const row = tx.transition({ id: fresh.id, expectedVersion: fresh.version, action: name, from: fresh.state, to: verdict.to, data, input, actor: principal?.id ?? null, at: x.app.settings.now() })
      if (row === undefined) return { ok: false, problem: problem('request-in-flight', 'Another transition won the race; GET the resource and try again.') }
      // Rendered inside the transaction so that an Idempotency-Key stores the very reply, with the effect.
      const reply = written(x, row, 200)
      rememberReply(tx, x, reply)
      return { ok: true, reply, from: fresh.state, to: verdict.to }
    }).catch(keyClash)
    if ('status' in outcome) return outcome
    if (!outcome.ok) return problemReply(outcome.problem)
    // Counted once committed: a transition rolled back, refused or replayed is none.
    x.app.ops.metrics?.transition(entry.type.name, name, outcome.from, outcome.to)
    return outcome.reply
  },
}
