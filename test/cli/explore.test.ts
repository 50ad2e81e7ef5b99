import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startServer, type TestServer } from '../helpers/server.ts'

const script = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))

interface Run { readonly code: number; readonly out: string; readonly err: string }

/** Runs the explore command in its own process, bounded in time. */
const explore = (...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, 'explore', ...args], { timeout: 20_000, env: { ...process.env, AFFORDANCE_TOKEN: '' } }, (error, out, err) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, out, err })
    })
  })

const test = suite('affordance explore')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

test('prints the entry point with its links', async () => {
  const r = await explore(`${server.url}/`, '--token', server.tokens['north-reader'] ?? '')
  assert.is(r.code, 0, r.err)
  assert.match(r.out, new RegExp(`^${server.url}/  \\(200, ETag `))
  assert.match(r.out, /bookmarks\s+GET\s+http:\/\/127\.0\.0\.1:\d+\/bookmarks/)
  assert.match(r.out, /actions \(take with --act <name> --input <json>\):\n {2}none/)
})

test('follows links and takes an action by name, printing where it lands and what it offers', async () => {
  const input = JSON.stringify({ patient: 'Ada', address: '1 Road', scheduled_for: '2026-12-01T09:00:00Z' })
  const r = await explore(`${server.url}/`, '--token', server.tokens['north-dispatcher'] ?? '', '--follow', 'visits', '--act', 'create', '--input', input)
  assert.is(r.code, 0, r.err)
  assert.match(r.out, /\/visits\/[0-9a-f-]{36} {2}\(200, ETag "1-/)
  assert.match(r.out, /"status": "scheduled"/)
  assert.match(r.out, /assign\s+POST http:\S+\/assign {2}\[application\/json\]/)
  assert.match(r.out, /cancel\s+POST/)
})

test('--search fills the collection\'s advertised search, in every format', async () => {
  const dispatcher = server.tokens['north-dispatcher'] ?? ''
  await explore(`${server.url}/`, '--token', dispatcher, '--follow', 'visits', '--act', 'create', '--input', JSON.stringify({ patient: 'Searched For', address: '1 Road', scheduled_for: '2026-12-05T09:00:00Z' }))
  for (const format of ['json', 'hal', 'siren', 'html']) {
    const r = await explore(`${server.url}/`, '--token', dispatcher, '--format', format, '--follow', 'visits', '--search', 'status=scheduled', '--search', 'patient=Searched For', '--search', 'patient=Nobody')
    assert.is(r.code, 0, `${format}: ${r.err}`)
    assert.match(r.out, /\/visits\?patient=Nobody&patient=Searched\+For&status=scheduled|\/visits\?status=scheduled&patient=Searched\+For&patient=Nobody/, format)
    assert.match(r.out, /items \(1\):/, format)
  }
  const bad = await explore(`${server.url}/`, '--token', dispatcher, '--follow', 'visits', '--search', 'status=lost')
  assert.is(bad.code, 1)
  assert.match(bad.err, /^400 [\s\S]*one of scheduled, assigned/)
  assert.is((await explore(`${server.url}/`, '--search', 'nothing')).code, 2)
})

test('a refusal prints the problem and exits 1', async () => {
  const r = await explore(`${server.url}/`, '--token', server.tokens['north-dispatcher'] ?? '', '--follow', 'visits', '--act', 'create', '--input', '{"patient":""}')
  assert.is(r.code, 1)
  assert.match(r.err, /^422 /)
  assert.match(r.err, /"status": 422/)
  const anonymous = await explore(`${server.url}/visits`)
  assert.is(anonymous.code, 1)
  assert.match(anonymous.err, /^401 /)
})

test('unknown names and bad arguments are explained', async () => {
  const missing = await explore(`${server.url}/`, '--follow', 'nowhere')
  assert.is(missing.code, 1)
  assert.match(missing.err, /no link "nowhere" here; links: .*\bvisit-machine\b.*\bself\b/, missing.err)
  for (const args of [[], ['--format', 'xml', `${server.url}/`], [`${server.url}/`, '--bogus'], [`${server.url}/`, '--input', '[1]']]) {
    const r = await explore(...args)
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`)
    assert.match(r.err, /Usage: affordance explore|--input must be a JSON object/)
  }
})

test.run()
