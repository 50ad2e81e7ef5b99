import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// The bench pins its load generator to core 0 and its servers to core 1: pinning itself must not
// change how many cores it thinks there are, or the servers stay on core 0 with the load generator.
const test = suite('bench servers')

const servers = fileURLToPath(new URL('../../bench/servers.ts', import.meta.url))

test('the core count is the same after the load generator pins itself', () => {
  // In a child process: pinning this one would hold every later suite to one core.
  const script = `const s = await import(${JSON.stringify(servers)}); const before = s.coreCount(); const pinned = s.pinSelf(0); console.log(JSON.stringify({ before, pinned, after: s.coreCount() }))`
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.is(run.status, 0, run.stderr)
  const { before, after } = JSON.parse(run.stdout) as { before: number; pinned: boolean; after: number }
  assert.is(after, before)
})

test.run()
