import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { restfulJson } from '../../representors/index.ts'
import { restfulJsonFormat } from '../../src/contracts/index.ts'
import { urlKey } from '../../src/index.ts'
import { bookmark, visit } from '../../src/resources/index.ts'
import { fixture } from '../representors/fixtures.ts'

// The member a link goes by in RESTful JSON: one rule, which the representation and the
// contracts both follow.
const test = suite('url keys')

test('an action name becomes its key with dashes as underscores', () => {
  assert.equal(['read', 'check-in', 'mark-missed'].map(urlKey), ['read_url', 'check_in_url', 'mark_missed_url'])
})

for (const type of [bookmark, visit]) {
  for (const state of type.machine.states) {
    const legal = (type.machine.outgoing.get(state) ?? []).map((a) => a.name)
    test(`${type.name} in ${state}: the body carries the keys the contract requires`, () => {
      const body = JSON.parse(restfulJson.render(fixture(type, state), { origin: 'http://x' })) as Record<string, unknown>
      assert.equal(type.machine.actions.map((a) => a.name).filter((a) => urlKey(a) in body), legal)
      assert.equal(restfulJsonFormat.has(legal), { required: legal.map(urlKey) })
    })
  }
}

test.run()
