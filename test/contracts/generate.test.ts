import { Ajv2020 } from 'ajv/dist/2020.js'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { contractSchema, restfulJsonFormat } from '../../src/contracts/index.ts'
import { bookmark, visit } from '../../src/resources/index.ts'

const test = suite('contract generator')
const ajv = new Ajv2020({ strict: false })
const urls = (...actions: string[]): Record<string, string> => Object.fromEntries(actions.map((a) => [`${a.replaceAll('-', '_')}_url`, `/x/${a}`]))
const body = (field: string, state: string, ...actions: string[]) => ({ url: '/x', data: { [field]: state }, ...urls(...actions) })

// Generated from the machines: for every state, the exact contract accepts exactly the allowed set.
for (const type of [bookmark, visit]) {
  const exact = ajv.compile(contractSchema(type, restfulJsonFormat, 'exact'))
  for (const state of type.machine.states) {
    const allowed = type.machine.actions.filter((a) => a.from.includes(state)).map((a) => a.name)
    test(`${type.name} ${state}: exact contract accepts [${allowed.join(', ')}] and rejects one more or one fewer`, () => {
      assert.ok(exact(body(type.stateField, state, ...allowed)))
      for (const extra of type.machine.actions.filter((a) => !allowed.includes(a.name))) assert.not.ok(exact(body(type.stateField, state, ...allowed, extra.name)), extra.name)
      for (const missing of allowed) assert.not.ok(exact(body(type.stateField, state, ...allowed.filter((a) => a !== missing))), missing)
    })
  }
}

test('any-caller contract: visit actions are optional (roles and guards differ), forbidden ones still rejected', () => {
  const any = ajv.compile(contractSchema(visit, restfulJsonFormat))
  assert.ok(any(body('status', 'en_route')))
  assert.ok(any(body('status', 'en_route', 'check-in')))
  assert.not.ok(any(body('status', 'en_route', 'check-out')))
})

test('any-caller contract: bookmark actions every viewer may take are required', () => {
  const any = ajv.compile(contractSchema(bookmark, restfulJsonFormat))
  assert.ok(any(body('read_status', 'queued', 'read', 'archive')))
  assert.not.ok(any(body('read_status', 'queued', 'read')))
  assert.not.ok(any(body('read_status', 'queued', 'read', 'archive', 'reread')))
})

test.run()
