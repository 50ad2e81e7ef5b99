import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { decide, legalActions } from '../src/legal-actions.ts'
import { declaredRoles } from '../src/auth/policy.ts'
import { bookmark, visit } from '../src/resources/index.ts'
import type { Principal, ResourceType } from '../src/index.ts'
import type { ResourceRow } from '../src/store/types.ts'

// The central rule, generated from the machines: for every state, every action and every
// caller (each role, owner or not, and no caller), an action is linked iff it is admitted.
const test = suite('legal actions: links never lie')

const rowIn = (type: ResourceType, state: string, owner: string): ResourceRow => ({
  id: 'r1', type: type.name, tenant: 't', owner, state, version: 1, data: { ...type.examples?.[0] }, created_at: 0, updated_at: 0, seq: 1,
})

for (const type of [bookmark, visit]) {
  const callers: (Principal | undefined)[] = [undefined, ...declaredRoles([type]).flatMap((role) => [
    { id: 'owner', name: 'Owner', tenant: 't', roles: [role] },
    { id: 'other', name: 'Other', tenant: 't', roles: [role] },
  ])]
  test(`${type.name}: every state × action × caller, linked iff admitted, to the machine's target`, () => {
    let admitted = 0
    let refused = 0
    for (const state of type.machine.states) {
      const row = rowIn(type, state, 'owner')
      for (const caller of callers) {
        const linked = new Set(legalActions(type, row, caller).map((a) => a.name))
        for (const action of type.machine.actions) {
          const verdict = decide(type, row, action.name, caller)
          const who = `${caller?.roles.join(',') ?? 'nobody'}/${caller?.id ?? '-'} ${action.name} from ${state}`
          assert.is(verdict.ok, linked.has(action.name), who)
          if (verdict.ok) {
            admitted++
            assert.is(verdict.to, type.machine.byName.get(action.name)?.to.get(state), who)
          } else refused++
        }
        assert.is(decide(type, row, 'no-such-action', caller).ok, false)
      }
    }
    assert.ok(admitted > 0 && refused > 0, 'both kinds of case were generated')
  })
}

test.run()
