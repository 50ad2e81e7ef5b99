import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { listeningUrl } from './helpers/processes.ts'
import { newTestDatabase } from './helpers/stores.ts'

// The README's shell commands, from "A walk through with curl" to the end, run as written
// and in order against `npm start` on a new database. Only the port differs (the server
// takes a free one), and the server is started by the test instead of in a second terminal.
const test = suite('README walk-through')
const root = new URL('..', import.meta.url).pathname
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const API_LINE = 'API=http://localhost:3000'

/** Every ```sh block from the walk-through on, in order. */
export function walkthroughBlocks(text: string): string[] {
  const from = text.indexOf('## A walk through with curl')
  return [...text.slice(from).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
}

/** One curl command of the script (continuation lines joined) and the status its comments promise. */
export interface CurlStep { readonly command: string; readonly expected: number | undefined }

const promised = (comment: string): number | undefined => {
  const m = /(?:^|[\s:(])([2-5]\d\d)(?=$|[\s:,)])/.exec(comment)
  return m?.[1] === undefined ? undefined : Number(m[1])
}

/** The curl commands in order, each with the status named in its own or the preceding comment line. */
export function curlSteps(script: string): CurlStep[] {
  const steps: CurlStep[] = []
  let before = ''
  const lines = script.split('\n')
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? ''
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i] ?? ''}`
    const trimmed = line.trim()
    if (trimmed.startsWith('#')) {
      before = trimmed
      continue
    }
    if (/(^|[\s($])curl\s/.test(trimmed)) {
      const hash = trimmed.indexOf(' # ')
      const own = hash === -1 ? '' : trimmed.slice(hash)
      steps.push({ command: trimmed, expected: promised(own) ?? promised(before) })
    }
    before = ''
  }
  return steps
}

async function startServer(env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => void; output: () => string }> {
  // `npm start` exactly as the README says; its own process group, so that stopping it stops the server too.
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const started = listeningUrl(child, 30_000)
  const stop = (): void => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL')
    } catch {
      // already gone
    }
  }
  const url = await started.url.catch((error: unknown) => {
    stop()
    throw error
  })
  return { url, stop, output: started.output }
}

test('the parser finds each curl command and the status its comment promises', () => {
  const steps = curlSteps([
    '# create one: 201 and its Location',
    'B=$(curl -s -o /dev/null \\',
    '     -d x $API/b)',
    'curl -s $API$B                 # 200: read_url',
    '# the transition log, oldest first, 20 entries a page',
    'curl -s $API$B/history',
    'curl -s -X POST $API$V/assign   # 428: no If-Match',
  ].join('\n'))
  assert.equal(steps.map((s) => s.expected), [201, 200, undefined, 428])
  assert.ok(steps[0]?.command.includes('-d x $API/b'))
})

test('every command of the walk-through works as written, in order, on a new database', async () => {
  const blocks = walkthroughBlocks(readme)
  const script = blocks.join('\n')
  assert.ok(script.includes(API_LINE), `the walk-through sets ${API_LINE}`)
  assert.ok(blocks[0]?.trim() === 'npm start', 'the walk-through starts with npm start, alone in its block')
  const steps = curlSteps(script)
  assert.ok(steps.length >= 15, `curl commands found: ${steps.length}`)

  const dir = mkdtempSync(join(tmpdir(), 'affordance-walk-'))
  const headers = join(dir, 'headers')
  mkdirSync(headers)
  const work = join(dir, 'work')
  mkdirSync(work)
  // Commands that write files (schemas, body.json, visit.svg) write them here; npx finds the project's packages.
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'))
  // A new SQLite file, or (STORE=postgres) a new PostgreSQL schema: the same walk on either store.
  const database = await newTestDatabase()
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATABASE_URL: database.location }
  delete env.npm_config_prefix
  const server = await startServer(env)
  try {
    const prelude = [
      'set -euo pipefail',
      // npm runs the project's scripts from wherever the reader stands, as in the project folder.
      `npm() { command npm --prefix ${JSON.stringify(root)} "$@"; }`,
      // Every curl also leaves its response head in a numbered file, so that each status can be checked.
      `curl() { local n; n=$(ls ${JSON.stringify(headers)} | wc -l); command curl -D "${headers}/$(printf %03d "$n")" "$@"; }`,
    ]
    const body = blocks.slice(1).join('\n').replace(API_LINE, `API=${server.url.replace('127.0.0.1', 'localhost')}`)
    writeFileSync(join(dir, 'walk.sh'), `${prelude.join('\n')}\n${body}\n`)
    const run = spawnSync('bash', [join(dir, 'walk.sh')], { cwd: work, env, encoding: 'utf8', timeout: 240_000 })
    assert.is(run.status, 0, `the walk-through failed:\n${run.stderr.slice(-3000)}\n${run.stdout.slice(-2000)}`)
    const files = readdirSync(headers).sort()
    assert.is(files.length, steps.length, 'one response per curl command')
    files.forEach((file, i) => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(readFileSync(join(headers, file), 'utf8'))?.[1])
      const step = steps[i] as CurlStep
      if (step.expected === undefined) assert.ok(status >= 200 && status < 300, `${step.command}\n  answered ${status}`)
      else assert.is(status, step.expected, step.command)
    })
    assert.ok(run.stdout.includes('"current_state":"read"'), 'the refused archive names the current state')
  } finally {
    server.stop()
    rmSync(dir, { recursive: true, force: true })
    await database.remove()
  }
})

test.run()
