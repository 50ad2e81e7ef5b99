import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { adminQuery } from './helpers/postgres.ts'
import { listeningUrl } from './helpers/processes.ts'

// The README's one line for PostgreSQL, run as written but for the database's name (a new
// one per run, so that it is new and nobody's) and the port (a free one).
const test = suite('README: npm start on PostgreSQL')
const root = new URL('..', import.meta.url).pathname
const readme = readFileSync(join(root, 'README.md'), 'utf8')
// The outer `npm test` must not leak its settings (prefix, script name) into the inner npm.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'INIT_CWD'))
const name = `affordance_readme_${process.pid}`

test.before(() => {
  // `npm start` runs the compiled server: compile the sources under test first.
  execFileSync('npm', ['run', 'build'], { cwd: root, env, stdio: 'pipe', timeout: 120_000 })
})
test.after(async () => {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
})

test('the one line makes the database and serves the demo on it', async () => {
  const line = readme.split('\n').find((l) => l.startsWith('createdb ') && l.includes('DATABASE_URL=postgres://'))
  assert.ok(line !== undefined, 'the README shows the line')
  const command = (line as string).replace(/ affordance &&/, ` ${name} &&`).replace(/\/affordance /, `/${name} `)
  assert.ok(command.includes(` ${name} &&`) && command.includes(`/${name} npm start`), command)
  const child = spawn('bash', ['-c', command], { cwd: root, env: { ...env, PORT: '0' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const started = listeningUrl(child, 30_000)
  try {
    const url = await started.url
    assert.match(started.output(), /database: postgres:\/\/postgres@127\.0\.0\.1:5432\//)
    const token = /north-reader\s+\S+\s+(aff_\S+)/.exec(started.output())?.[1]
    assert.ok(token !== undefined, started.output())
    const list = await fetch(`${url}/bookmarks`, { headers: { authorization: `Bearer ${token ?? ''}` } })
    assert.is(list.status, 200)
    assert.ok(((await list.json()) as { items: unknown[] }).items.length > 0, 'demo data on the new database')
    const tables = await adminQuery<{ n: number }>('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [name])
    assert.is(tables[0]?.n, 1)
  } finally {
    process.kill(-(child.pid as number), 'SIGTERM')
  }
  assert.is(await exited, 0, started.output())
})

test.run()
