import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'

// The package as another project gets it: packed, installed from the tarball, imported by
// plain Node and type-checked by tsc against the types it ships.
const test = suite('the package, installed elsewhere')
const root = new URL('../..', import.meta.url).pathname
const version = (name: string): string => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
let dir: string
let children: ReturnType<typeof spawn>[] = []

// The tests run npm inside npm: the outer run's settings (its prefix, its script name) must not leak in.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'INIT_CWD'))
const run = (command: string, args: string[]): string => execFileSync(command, args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })

test.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'affordance-consumer-'))
  // `npm pack` runs prepare, so the tarball holds a fresh build of the sources.
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })) as { filename: string }[]
  // better-sqlite3 at the version this project built, so that its compiled driver (below) is the one its install script would build here.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', overrides: { 'better-sqlite3': version('better-sqlite3') } }))
  // Every package from npm's cache when it holds it; scripts off, since better-sqlite3 would compile
  // SQLite from source (minutes here, and node-gyp fetches headers from the network).
  run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(dir, (packed as { filename: string }).filename), `typescript@${version('typescript')}`, `@types/node@${version('@types/node')}`])
  const driver = join('node_modules', 'better-sqlite3', 'build', 'Release')
  mkdirSync(join(dir, driver), { recursive: true })
  cpSync(join(root, driver, 'better_sqlite3.node'), join(dir, driver, 'better_sqlite3.node'))
})
test.after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  children = []
  rmSync(dir, { recursive: true, force: true })
})

test('ships the compiled package, its types and the schemas it reads, and no tests or tools', () => {
  const installed = join(dir, 'node_modules', 'affordance')
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  assert.not.ok('tsx' in manifest.dependencies, 'tsx is for development only')
  const listed = run('npm', ['ls', '--all', '--parseable']).split('\n')
  assert.not.ok(listed.some((p) => /node_modules\/(tsx|esbuild|uvu|eslint)$/.test(p)), 'no development tool is installed with the package')
  for (const file of ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/index.js.map', 'dist/src/client/index.d.ts', 'dist/schemas/visit.json', 'dist/schemas/representors/siren.json']) readFileSync(join(installed, file))
  for (const absent of ['test', 'bench', 'tsconfig.json', '.ci', 'dist/.tsbuildinfo']) assert.throws(() => readFileSync(join(installed, absent)), absent)
})

test("runs the README's resource type with plain node: create, a legal transition, a 409", async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Declaring a resource type'))
  const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1]
  assert.ok(example?.includes("from 'affordance'"), 'the README example imports the package')
  const database = join(dir, 'tickets.db')
  // Only where it listens and stores differ: an ephemeral port, a file of this test's own.
  const script = (example as string)
    .replace("'data/tickets.db'", JSON.stringify(database))
    .replace('app.listen(3000)', "const server = app.listen(0, '127.0.0.1', () => console.log(`port ${server.address().port}`))")
  assert.ok(script.includes(database) && script.includes('listen(0'), 'the example still ends by creating and starting an app')
  writeFileSync(join(dir, 'tickets.mjs'), script)
  const child = spawn(process.execPath, ['tickets.mjs'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let output = ''
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port printed: ${output}`)), 20_000)
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
      const m = /port (\d+)/.exec(output)
      if (m?.[1] === undefined) return
      clearTimeout(timer)
      resolve(m[1])
    })
    child.once('exit', () => reject(new Error(`exited: ${output}`)))
  })
  // The installed command issues the token, for a role the app recorded when it started.
  const token = run(join('node_modules', '.bin', 'affordance'), ['token', 'create', '--tenant', 'acme', '--role', 'agent', '--database', database]).trim()
  const base = `http://127.0.0.1:${port}`
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const created = await fetch(`${base}/tickets`, { method: 'POST', headers, body: JSON.stringify({ subject: 'Printer on fire' }) })
  assert.is(created.status, 201)
  const item = (await created.json()) as { url: string; start_url?: string; data: { status: string } }
  assert.is(item.data.status, 'open')
  assert.is(item.start_url, `${item.url}/start`)
  const started = await fetch(base + item.start_url, { method: 'POST', headers })
  assert.is(started.status, 200)
  const again = await fetch(base + item.start_url, { method: 'POST', headers })
  assert.is(again.status, 409)
  assert.is(((await again.json()) as { current_state: string }).current_state, 'in_progress')
  child.kill('SIGTERM')
})

test('npx affordance --help works where the package is installed', () => {
  const help = run('npx', ['--offline', 'affordance', '--help'])
  for (const command of ['serve', 'token', 'graph', 'schemas', 'explore']) assert.match(help, new RegExp(`^  ${command} `, 'm'))
})

test('a TypeScript consumer type-checks against the shipped types, and internals are not importable', () => {
  writeFileSync(join(dir, 'consumer.ts'), `import { createApp, createHttpServer, defineMachine, defineResource, type AffordanceApp, type ResourceType } from 'affordance'
import { HypermediaClient, type Resource } from 'affordance/client'

const machine = defineMachine({ name: 'note', initial: 'open', states: ['open', 'done'], terminal: ['done'], actions: { finish: { from: 'open', to: 'done', roles: ['writer'] } } })
const note: ResourceType = defineResource({ name: 'note', collection: 'notes', machine, schema: { $id: 'urn:note', type: 'object' }, policy: { view: ['writer'], create: ['writer'] } })
const app: AffordanceApp = createApp({ resources: [note], database: ':memory:' })
const server = createHttpServer(app, { maxConnections: 10 })
const open = (url: string): Promise<Resource> => new HypermediaClient({ accept: 'application/hal+json' }).open(url)
void open
server.close()
app.close()
// @ts-expect-error a wrong option is caught
createApp({ resources: [note], database: 42 })
// @ts-expect-error internal modules are not part of the package's interface
await import('affordance/dist/src/http/app.js')
`)
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['consumer.ts'] }))
  const r = spawnSync(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 })
  assert.is(r.status, 0, r.stdout + r.stderr)
})

test.run()
