import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { edgesOf, toDot, toJson, toMermaid } from '../../src/index.ts'
import { visitMachine } from '../../src/resources/index.ts'

const test = suite('graph exports')
test('DOT has every state and every edge, and highlights one state', () => {
  const dot = toDot(visitMachine, 'on_site')
  for (const s of visitMachine.states) assert.ok(dot.includes(`"${s}"`), s)
  for (const e of edgesOf(visitMachine)) assert.ok(dot.includes(`"${e.from}" -> "${e.to}" [label="${e.action}"]`), e.action)
  assert.match(dot, /"on_site" \[style="rounded,filled,bold"/)
  assert.match(dot, /"completed" \[peripheries=2\]/)
})
test('Mermaid has every edge', () => {
  const mm = toMermaid(visitMachine)
  assert.ok(mm.startsWith('stateDiagram-v2'))
  assert.ok(mm.includes('en_route --> on_site: check-in'))
  assert.ok(mm.includes('completed --> [*]'))
})
test('JSON lists 9 edges for visit', () => {
  const json = toJson(visitMachine)
  assert.is(json.edges.length, 9)
  assert.equal(json.terminal, ['completed', 'cancelled', 'missed'])
})
test.run()
