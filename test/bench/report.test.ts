import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { absoluteTargets, compare, machineUse, median, type Run } from '../../bench/report.ts'

// The bench's arithmetic decides which targets the README calls met: it gets tests of its own.
const test = suite('bench report')

const run = (measure: string, round: number, connections: number, rps: number, extra: Partial<Run> = {}): Run =>
  ({ measure, round, connections, rps, server: measure, requests: rps, p50: 1, p99: 2, cpuMicrosPerRequest: 1e6 / rps, peakRss: 0, unexpected: 0, ...extra })

test('median of odd and even counts, none for nothing', () => {
  assert.is(median([3, 1, 2]), 2)
  assert.is(median([4, 1, 3, 2]), 2.5)
  assert.is(median([]), undefined)
})

test('an rps ratio is taken round by round, and its median checked against the target', () => {
  const runs = [run('a', 1, 10, 900), run('b', 1, 10, 1000), run('a', 2, 10, 500), run('b', 2, 10, 1000), run('a', 3, 10, 950), run('b', 3, 10, 1000)]
  const [r] = compare([{ name: 'a/b', a: 'a', b: 'b', metric: 'rps', target: { op: '>=', value: 0.85 } }], runs, [10], 3)
  assert.equal(r?.ratios, [0.9, 0.5, 0.95])
  assert.is(r?.median, 0.9)
  assert.is(r?.met, true)
  assert.ok(Math.abs((r?.cpuMedian ?? 0) - 0.9) < 1e-9)
})

test('a latency ratio inverts throughput, and a missing side leaves the target undecided', () => {
  const runs = [run('deep', 1, 50, 800), run('first', 1, 50, 1000)]
  const [latency, missing] = compare([
    { name: 'deep/first', a: 'deep', b: 'first', metric: 'latency', target: { op: '<=', value: 1.2 } },
    { name: 'x/first', a: 'x', b: 'first', metric: 'latency', target: { op: '<=', value: 1.2 } },
  ], runs, [50], 1)
  assert.is(latency?.median, 1.25)
  assert.is(latency?.met, false)
  assert.is(missing?.met, undefined)
})

test('p99 and RSS targets read the highest connection count and Affordance servers only', () => {
  const runs = [run('get-json', 1, 50, 1000, { p99: 4 }), run('post-json', 1, 50, 1000, { p99: 30 })]
  const rows = absoluteTargets(runs, new Map([['affordance', 150 * 2 ** 20], ['baseline', 300 * 2 ** 20]]), 50)
  assert.equal(rows.map((r) => r.met), [true, false, true])
})

test('machine use: per-request costs, the servers\' core, the machine, and what no measured process used', () => {
  // 2 s on 2 cores: 4,000,000 µs in all, 3,600,000 busy, of which 400,000 by no process of the bench.
  const use = machineUse({ elapsed: 2e6, requests: 10_000, servers: 1_800_000, postgres: 800_000, generator: 600_000, machineBusy: 3_600_000, machineTotal: 4_000_000, cores: [{ busy: 2e6, total: 2e6 }, { busy: 1.6e6, total: 2e6 }] })
  assert.equal(use, { postgresMicrosPerRequest: 80, generatorMicrosPerRequest: 60, serverCore: 0.9, machineBusy: 0.9, coreBusy: [1, 0.8], othersBusy: 0.1 })
})

test('machine use: no requests and more measured than the machine counted leave no negative or infinite figure', () => {
  const use = machineUse({ elapsed: 1e6, requests: 0, servers: 0, postgres: 600_000, generator: 600_000, machineBusy: 1_000_000, machineTotal: 2_000_000, cores: [{ busy: 0, total: 0 }] })
  assert.equal(use.coreBusy, [0])
  assert.equal([use.postgresMicrosPerRequest, use.generatorMicrosPerRequest, use.othersBusy], [0, 0, 0])
})

test.run()
