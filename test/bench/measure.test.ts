import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { splitConnections, sumShares } from '../../bench/measure.ts'

// Two load generators side by side must report what one would have: the sums decide a ratio with a target.
const test = suite('bench measure')

test('connections are dealt out evenly, the first generators taking the remainder', () => {
  assert.equal(splitConnections(50, 2), [25, 25])
  assert.equal(splitConnections(11, 2), [6, 5])
  assert.equal(splitConnections(10, 1), [10])
  assert.equal(splitConnections(10, 3), [4, 3, 3])
})

test('side-by-side generators: requests and errors add up, CPU spreads over every request, percentiles take the worst', () => {
  const sum = sumShares([{ requests: 6000, p50: 2, p99: 9, errors: 1 }, { requests: 4000, p50: 3, p99: 7, errors: 2 }], 2, 500_000)
  assert.equal(sum, { requests: 10_000, rps: 5000, p50: 3, p99: 9, cpuMicrosPerRequest: 50, errors: 3 })
})

test('one generator is reported as it was measured, and no requests cost nothing per request', () => {
  assert.equal(sumShares([{ requests: 300, p50: 1, p99: 4, errors: 0 }], 3, 30_000), { requests: 300, rps: 100, p50: 1, p99: 4, cpuMicrosPerRequest: 100, errors: 0 })
  assert.is(sumShares([{ requests: 0, p50: 0, p99: 0, errors: 5 }], 1, 1000).cpuMicrosPerRequest, 0)
})

test.run()
