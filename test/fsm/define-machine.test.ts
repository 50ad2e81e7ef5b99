import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { defineMachine, toJson, type MachineSpec } from '../../src/index.ts'

const test = suite('defineMachine')
const base: MachineSpec = { name: 'm', initial: 'a', states: ['a', 'b'], terminal: ['b'], actions: { go: { from: 'a', to: 'b' } } }
const rejects = (spec: Partial<MachineSpec>, pattern: RegExp): void => assert.throws(() => defineMachine({ ...base, ...spec }), pattern)

test('accepts a valid machine and precomputes lookups', () => {
  const m = defineMachine(base)
  assert.equal(m.outgoing.get('a')?.map((a) => a.name), ['go'])
  assert.equal(m.byName.get('go')?.to.get('a'), 'b')
})
test('unknown initial state', () => rejects({ initial: 'z' }, /initial state "z"/))
test('unknown state in from', () => rejects({ actions: { go: { from: 'z', to: 'b' } } }, /starts from unknown state "z"/))
test('unknown state in to', () => rejects({ actions: { go: { from: 'a', to: 'z' } } }, /leads to unknown state "z"/))
test('unknown terminal state', () => rejects({ terminal: ['z'] }, /terminal state "z"/))
test('state unreachable from initial', () => rejects({ states: ['a', 'b', 'c'], terminal: ['b', 'c'] }, /"c" cannot be reached/))
test('non-terminal state without a way out', () => rejects({ terminal: [] }, /"b" has no way out/))
test('two transitions for one action from one state', () =>
  rejects({ states: ['a', 'b', 'c'], terminal: ['b', 'c'], actions: { go: [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }] } }, /two transitions from state "a"/))
test('an action leaving a terminal state', () => rejects({ actions: { go: { from: 'a', to: 'b' }, back: { from: 'b', to: 'a' } } }, /leaves terminal state "b"/))
test('a state listed twice', () => rejects({ states: ['a', 'b', 'a'] }, /listed twice/))
test('action names that collide as link keys', () =>
  rejects({ actions: { 'check-in': { from: 'a', to: 'b' }, check_in: { from: 'a', to: 'b' } } }, /lower-case words|share the link/))
test('an action with an empty from', () => rejects({ actions: { go: { from: [], to: 'b' } } }, /no "from" state/))
test('one action may lead to different states from different states', () => {
  const m = defineMachine({ name: 'm', initial: 'a', states: ['a', 'b', 'c'], terminal: ['c'], actions: { next: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }] } })
  assert.equal([...(m.byName.get('next')?.to ?? [])], [['a', 'b'], ['b', 'c']])
})
test('an action whose transitions take different inputs is refused, by name', () =>
  rejects({ states: ['a', 'b', 'c'], terminal: ['c'], actions: { next: { from: 'a', to: 'b' }, stop: [{ from: 'a', to: 'c', input: 'x' }, { from: 'b', to: 'c', input: 'y' }] } }, /action "stop".*input/))
test('an action whose transitions take no input and some input is refused too', () =>
  rejects({ states: ['a', 'b', 'c'], terminal: ['c'], actions: { next: { from: 'a', to: 'b' }, stop: [{ from: 'a', to: 'c', input: 'x' }, { from: 'b', to: 'c' }] } }, /action "stop".*input/))
test('a state\'s own edge carries that transition\'s roles and title', () => {
  const m = defineMachine({ name: 'm', initial: 'a', states: ['a', 'b', 'c'], terminal: ['c'], actions: { next: { from: 'a', to: 'b', roles: ['x'] }, stop: [{ from: 'a', to: 'c', roles: ['x'], title: 'Stop early' }, { from: 'b', to: 'c', roles: ['y'] }] } })
  assert.equal(m.outgoing.get('a')?.find((a) => a.name === 'stop')?.roles, ['x'])
  assert.equal(m.outgoing.get('b')?.find((a) => a.name === 'stop')?.roles, ['y'])
  assert.is(m.outgoing.get('b')?.find((a) => a.name === 'stop')?.title, undefined)
  assert.equal(toJson(m).edges.filter((e) => e.action === 'stop'), [{ action: 'stop', from: 'a', to: 'c' }, { action: 'stop', from: 'b', to: 'c', roles: ['y'] }])
})
test.run()
