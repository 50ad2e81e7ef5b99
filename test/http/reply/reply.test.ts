import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { problem, problemDocument, problemKinds, type ProblemKind } from '../../../src/http/reply/problem.ts'
import { problemReply } from '../../../src/http/reply/reply.ts'

// A failure becomes a reply in one place, whose status is always its problem document's.
const test = suite('problem → reply')

test('every kind: the reply carries the problem, with the status of its document', () => {
  for (const kind of Object.keys(problemKinds) as ProblemKind[]) {
    const p = problem(kind, `a ${kind}`, { headers: { 'X-Why': kind } })
    const reply = problemReply(p)
    assert.is(reply.problem, p, kind)
    assert.is(reply.status, problemDocument(p, '/', undefined).status, kind)
    assert.is(reply.body, undefined, kind)
  }
})

test.run()
