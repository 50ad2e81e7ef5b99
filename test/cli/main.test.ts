import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { commands, runCli } from '../../src/cli/main.ts'
import { readSettings } from '../../src/cli/settings.ts'
import { loadTypes } from '../../src/cli/types-module.ts'

// The `affordance` command in process: what it prints and the code it exits with.
const test = suite('affordance command')

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | undefined; out: string[]; err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out, err }
}

test('--help lists every command, and each command has a --help of its own', async () => {
  const top = await cli(['--help'])
  assert.is(top.code, 0)
  for (const name of ['serve', 'token', 'graph', 'schemas', 'explore']) {
    assert.match(top.out.join('\n'), new RegExp(`^  ${name} `, 'm'))
    for (const ask of [[name, '--help'], [name, '-h'], ['help', name]]) {
      const r = await cli(ask)
      assert.is(r.code, 0, ask.join(' '))
      assert.ok(r.out.join('\n').startsWith(`Usage: affordance ${name}`), ask.join(' '))
      assert.equal(r.err, [])
    }
  }
  assert.equal(Object.keys(commands), ['serve', 'token', 'graph', 'schemas', 'explore'])
})

test('no command or an unknown one: usage on stderr, exit 2', async () => {
  for (const argv of [[], ['deploy']]) {
    const r = await cli(argv)
    assert.is(r.code, 2)
    assert.match(r.err.join('\n'), /Usage: affordance <command>/)
    assert.equal(r.out, [])
  }
})

test('serve refuses every bad setting at once, one line each, naming the flag or variable', async () => {
  const env = { PORT: 'eighty', LOG_LEVEL: 'loud', MAX_CONNECTIONS: '0', PUBLIC_URL: 'ftp://example.org', DATABASE_URL: ':memory:' }
  const r = await cli(['serve', '--demo', '--headers-timeout-ms', '-5', `--body-timeout-ms=${'9'.repeat(200)}`], env)
  assert.is(r.code, 2)
  assert.equal(r.out, [])
  assert.is(r.err.length, 6, r.err.join('\n'))
  for (const name of ['PORT', 'LOG_LEVEL', 'MAX_CONNECTIONS', 'PUBLIC_URL', '--headers-timeout-ms', '--body-timeout-ms']) assert.ok(r.err.some((l) => l.startsWith(`${name} "`)), name)
  assert.ok(r.err.every((l) => l.length < 160), 'a pasted value is cut short')
})

/** `serve` with this one bad setting exits 2 with one line naming the flag or variable. */
async function refusedInOneLine(argv: readonly string[], env: Readonly<Record<string, string>>, name: string): Promise<void> {
  const r = await cli(['serve', '--demo', ...argv], { DATABASE_URL: ':memory:', ...env })
  assert.is(r.code, 2)
  assert.is(r.err.length, 1, r.err.join('\n'))
  assert.ok(r.err[0]?.startsWith(`${name} "`), r.err[0])
}

test('serve refuses a shutdown deadline that is not a positive whole number of ms', async () => {
  for (const [argv, env, name] of [[['--shutdown-timeout-ms', '0'], {}, '--shutdown-timeout-ms'], [[], { SHUTDOWN_TIMEOUT_MS: '2.5s' }, 'SHUTDOWN_TIMEOUT_MS']] as const) {
    await refusedInOneLine(argv, env, name)
  }
  assert.match((await cli(['serve', '--help'])).out.join('\n'), /--shutdown-timeout-ms\s+SHUTDOWN_TIMEOUT_MS/)
})

test('serve takes the base path as --base-path or BASE_PATH, checked like every setting', async () => {
  for (const [argv, env, name] of [[['--base-path', 'api/'], {}, '--base-path'], [[], { BASE_PATH: '/api/../x' }, 'BASE_PATH']] as const) {
    await refusedInOneLine(argv, env, name)
  }
  assert.equal(readSettings(['basePath'], ['--base-path=/api'], { BASE_PATH: '/other' }), { ok: true, values: { basePath: '/api' }, rest: [] })
  assert.match((await cli(['serve', '--help'])).out.join('\n'), /--base-path\s+BASE_PATH/)
})

test('a flag wins over its variable; an empty variable is unset', () => {
  const r = readSettings(['port', 'host', 'database'], ['--port', '8080', '--database=x.db', 'extra'], { PORT: '3000', HOST: '' })
  assert.equal(r, { ok: true, values: { port: 8080, database: 'x.db' }, rest: ['extra'] })
  assert.equal(readSettings(['port'], ['--port'], {}), { ok: false, errors: ['--port needs a value'] })
})

test('graph and schemas work on the demo types or a module, and say what is missing', async () => {
  const dot = await cli(['graph', '--demo', 'visit', '--format', 'dot'])
  assert.is(dot.code, 0)
  assert.ok(dot.out[0]?.startsWith('digraph "visit"'))
  for (const argv of [['graph'], ['graph', '--demo'], ['schemas'], ['schemas', '--demo', '--out']]) {
    const r = await cli(argv)
    assert.is(r.code, 2, argv.join(' '))
    assert.match(r.err.join('\n'), /Usage: affordance (graph|schemas)/)
  }
})

test('serve needs a module or --demo, not both', async () => {
  for (const argv of [['serve'], ['serve', './types.js', '--demo'], ['serve', 'a.js', 'b.js']]) {
    const r = await cli(argv, { DATABASE_URL: ':memory:' })
    assert.is(r.code, 2, argv.join(' '))
    assert.match(r.err[0] ?? '', /module/)
  }
})

test('the types a module exports: named exports, a default list, or one line saying why not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-cli-'))
  try {
    const index = pathToFileURL(join(import.meta.dirname, '../../src/index.ts')).href
    const source = (exports: string) => `import { defineMachine, defineResource } from ${JSON.stringify(index)}
const machine = defineMachine({ name: 'note', initial: 'open', states: ['open', 'done'], terminal: ['done'], actions: { finish: { from: 'open', to: 'done', roles: ['writer'] } } })
const note = defineResource({ name: 'note', collection: 'notes', machine, schema: { $id: 'urn:note', type: 'object' }, policy: { view: ['writer'], create: ['writer'] } })
${exports}\n`
    writeFileSync(join(dir, 'named.mjs'), source('export { note }\nexport const other = 1'))
    writeFileSync(join(dir, 'default.mjs'), source('export default [note]'))
    writeFileSync(join(dir, 'none.mjs'), 'export const x = 1\n')
    const env = { INIT_CWD: dir }
    for (const file of ['named.mjs', 'default.mjs']) {
      const r = await loadTypes(`./${file}`, env)
      assert.ok(r.ok && r.types.length === 1 && r.types[0]?.collection === 'notes', file)
    }
    assert.equal(await loadTypes('./none.mjs', env), { ok: false, error: './none.mjs exports no resource type (made with defineResource)' })
    assert.equal(await loadTypes('./missing.mjs', env), { ok: false, error: './missing.mjs: no such module' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
