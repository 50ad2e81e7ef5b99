import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { availableActions, defineMachine, edgesOf, trigger, type Principal } from '../../src/index.ts'
import { bookmarkMachine, visitMachine } from '../../src/resources/index.ts'

const test = suite('availableActions and trigger')
const admin: Principal = { id: 'a', name: 'A', tenant: 't', roles: ['admin'] }
const clinician: Principal = { id: 'c1', name: 'C', tenant: 't', roles: ['clinician'] }

for (const machine of [bookmarkMachine, visitMachine]) {
  const edges = edgesOf(machine)
  for (const state of machine.states) {
    for (const action of machine.actions) {
      const edge = edges.find((e) => e.from === state && e.action === action.name)
      test(`${machine.name}: ${action.name} from ${state} ${edge ? `→ ${edge.to}` : 'is refused'}`, () => {
        const ctx = { principal: admin, data: {} }
        const result = trigger(machine, state, action.name, ctx)
        const shown = availableActions(machine, state, ctx).some((a) => a.name === action.name)
        assert.is(result.ok, shown, 'links never lie: shown exactly when admitted')
        if (edge) assert.equal(result.ok && result.to, edge.to)
        else assert.equal(!result.ok && result.error.kind, 'not_allowed_from_state')
      })
    }
  }
}

test('unknown action is a value, not an exception', () => {
  assert.equal(trigger(bookmarkMachine, 'queued', 'explode', { data: {} }), { ok: false, error: { kind: 'unknown_action', action: 'explode' } })
})
test('a role that may not take the action', () => {
  const r = trigger(visitMachine, 'scheduled', 'assign', { principal: clinician, data: {} })
  assert.equal(!r.ok && r.error.kind, 'role_forbidden')
})
test('a guard refuses with its reason', () => {
  const r = trigger(visitMachine, 'assigned', 'depart', { principal: clinician, data: { clinician_id: 'someone-else' } })
  assert.equal(!r.ok && r.error, { kind: 'guard_failed', action: 'depart', reason: 'This visit is not assigned to you.', refusal: 'forbidden' })
  assert.ok(trigger(visitMachine, 'assigned', 'depart', { principal: clinician, data: { clinician_id: 'c1' } }).ok)
})
test('the state check comes before the role check', () => {
  const r = trigger(visitMachine, 'completed', 'assign', { principal: clinician, data: {} })
  assert.equal(!r.ok && r.error.kind, 'not_allowed_from_state')
})
test('on_site can only complete', () => {
  assert.equal(availableActions(visitMachine, 'on_site', { principal: admin, data: {} }).map((a) => a.name), ['check-out'])
})

// cancel: a dispatcher from scheduled, a clinician (on the visit they hold) from en_route.
const perEdge = defineMachine({
  name: 'per-edge', initial: 'scheduled', states: ['scheduled', 'en_route', 'cancelled'], terminal: ['cancelled'],
  actions: {
    go: { from: 'scheduled', to: 'en_route', roles: ['dispatcher'] },
    cancel: [
      { from: 'scheduled', to: 'cancelled', roles: ['dispatcher'], title: 'Call off' },
      { from: 'en_route', to: 'cancelled', roles: ['clinician'], title: 'Turn back', guard: ({ principal, data }) => (data.clinician_id === principal?.id ? { ok: true } : { ok: false, reason: 'Not yours.', refusal: 'forbidden' }) },
    ],
  },
})
const dispatcher: Principal = { id: 'd', name: 'D', tenant: 't', roles: ['dispatcher'] }
const cases: readonly [string, Principal, Record<string, unknown>, string | undefined][] = [
  ['scheduled', dispatcher, {}, undefined],
  ['scheduled', clinician, { clinician_id: 'c1' }, 'role_forbidden'],
  ['en_route', clinician, { clinician_id: 'c1' }, undefined],
  ['en_route', clinician, { clinician_id: 'c2' }, 'guard_failed'],
  ['en_route', dispatcher, { clinician_id: 'd' }, 'role_forbidden'],
]
for (const [state, principal, data, refusal] of cases) {
  test(`each edge keeps its own roles and guard: cancel from ${state} by ${principal.roles[0] ?? ''} ${refusal ?? 'admitted'}`, () => {
    const ctx = { principal, data }
    const r = trigger(perEdge, state, 'cancel', ctx)
    const shown = availableActions(perEdge, state, ctx).find((a) => a.name === 'cancel')
    assert.is(r.ok, shown !== undefined, 'links never lie: shown exactly when admitted')
    assert.equal(r.ok ? undefined : r.error.kind, refusal)
    if (!r.ok && r.error.kind === 'role_forbidden') assert.equal(r.error.roles, state === 'scheduled' ? ['dispatcher'] : ['clinician'])
    if (shown !== undefined) assert.is(shown.title, state === 'scheduled' ? 'Call off' : 'Turn back')
  })
}

test.run()
