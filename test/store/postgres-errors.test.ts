import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { faultOf, toStoreError } from '../../src/store/postgres/errors.ts'
import { StoreUnavailable } from '../../src/store/types.ts'

// Which driver errors mean "try again later" (503) and which are faults of the query (500).
const test = suite('postgres store: errors')

const coded = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code })

const cases: [string, unknown, ReturnType<typeof faultOf>][] = [
  ['connection refused', coded('ECONNREFUSED'), 'unreachable'],
  ['connection reset', coded('ECONNRESET'), 'unreachable'],
  ['administrator shutdown', coded('57P01'), 'unreachable'],
  ['crash shutdown', coded('57P02'), 'unreachable'],
  ['cannot connect now (starting)', coded('57P03'), 'unreachable'],
  ['connection exception class 08', coded('08006'), 'unreachable'],
  ['connection terminated', new Error('Connection terminated unexpectedly'), 'unreachable'],
  ['connect timeout', new Error('Connection terminated due to connection timeout'), 'unreachable'],
  ['a dual-stack connect refused twice', new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]), 'unreachable'],
  ['waited for a pooled connection', new Error('timeout exceeded when trying to connect'), 'busy'],
  ['waited for an answer', new Error('Query read timeout'), 'busy'],
  ['too many connections', coded('53300'), 'busy'],
  ['a unique violation', coded('23505'), 'other'],
  ['a syntax error', coded('42601'), 'other'],
  ['statement timeout (server side)', coded('57014'), 'other'],
  ['not an error', 'oops', 'other'],
]

for (const [name, error, fault] of cases) {
  test(`${name}: ${fault}`, () => {
    assert.is(faultOf(error), fault)
    const seen = toStoreError(error)
    if (fault === 'other') assert.is(seen, error)
    else {
      assert.instance(seen, StoreUnavailable)
      assert.is((seen as StoreUnavailable).cause, error)
      assert.ok([1, 2].includes((seen as StoreUnavailable).retryAfterSeconds))
    }
  })
}

test.run()
