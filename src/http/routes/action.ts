import { decide } from '../../legal-actions.ts'
import type { Change, ResourceRow } from '../../store/types.ts'
import { claimOf, inFlightProblem, recordOf } from '../features/idempotency.ts'
import { problem, type Problem } from '../reply/problem.ts'
import { refusalProblem } from '../reply/refusal.ts'
import { problemReply, type Reply } from '../reply/reply.ts'
import { ifMatchOf, type Handler } from './handler-kit.ts'
import { entryOf, fetchEmbedded, fetchRow, item, rowOf, withEntry, written } from './item.ts'

/** `POST /{collection}/{id}/{action}`: one transition, decided again against the row the write finds. */
export const action: Handler = {
  hooks: item.hooks,
  load: fetchRow,
  async process(x) {
    const entry = entryOf(x)
    const seen = rowOf(x)
    const name = x.route.action as string
    const input = (x.input ?? {}) as Record<string, unknown>
    const hadIfMatch = ifMatchOf(x) !== undefined
    const principal = x.principal
    const before = x.history ?? await fetchEmbedded(x, seen)
    let change: Change | undefined
    const outcome = await x.app.store.transition({
      id: seen.id,
      seen,
      key: claimOf(x),
      // Pure, and asked again of a fresher row when the store finds that `seen` moved on.
      decide: (fresh: ResourceRow) => {
        if (fresh.version !== seen.version && hadIfMatch) {
          return { ok: false, refusal: problem('precondition-failed', 'The resource changed while your request waited (If-Match); GET it again and resubmit.', { extensions: { current_version: fresh.version, current_state: fresh.state } }) }
        }
        const verdict = decide(entry.type, fresh, name, principal)
        if (!verdict.ok) return { ok: false, refusal: refusalProblem(verdict.error, fresh, entry.type, principal) }
        const data = entry.type.apply?.(fresh.data, name, input) ?? { ...fresh.data, ...input }
        change = { action: name, to: verdict.to, data, input, actor: principal?.id ?? null, at: x.app.settings.now() }
        return { ok: true, change }
      },
      // Rendered inside the write so that an Idempotency-Key stores the very reply, with the effect.
      answer: (row: ResourceRow, from: ResourceRow) => {
        withEntry(x, before, from, change as Change)
        const reply = written(x, row, 200)
        return { value: reply, record: recordOf(x, reply) }
      },
    })
    switch (outcome.kind) {
      case 'gone': return problemReply(problem('not-found', 'The resource is gone.'))
      case 'key-taken': return problemReply(inFlightProblem())
      case 'refused': return problemReply(outcome.refusal as Problem)
      case 'moved':
        // Counted once committed: a transition rolled back, refused or replayed is none.
        x.app.ops.metrics?.transition(entry.type.name, name, outcome.from.state, outcome.row.state)
        return outcome.value as Reply
    }
  },
}
