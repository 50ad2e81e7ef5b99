import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createApp } from '../../src/index.ts'
import { bookmark, visit } from '../../src/resources/index.ts'
import { send, type Reply } from '../helpers/server.ts'

// The command is spawned as a user runs it, against a database of its own.
const test = suite('token command')
let dir: string
let database: string
test.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'affordance-token-'))
  database = join(dir, 'tokens.db')
  // Served once, the database knows the roles its resource types use.
  createApp({ resources: [bookmark, visit], database, log: () => {} }).close()
})
test.after(() => rmSync(dir, { recursive: true, force: true }))

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname
function token(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'token', ...args], { env: { ...process.env, DATABASE_URL: database }, encoding: 'utf8' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** One GET of /visits with a token, against an app on the command's database. */
async function visitsWith(tokenValue: string): Promise<Reply> {
  const app = createApp({ resources: [bookmark, visit], database, log: () => {} })
  const server = createServer(app.callback())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    return await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {}, 'GET', '/visits', { token: tokenValue })
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    app.close()
  }
}

let created = ''
test('create prints one new token, which then authenticates', async () => {
  const r = token('create', '--tenant', 'north', '--role', 'dispatcher', '--role', 'admin', '--user', 'carol', '--name', 'Carol C')
  assert.is(r.status, 0, r.stderr)
  const lines = r.stdout.trim().split('\n')
  assert.is(lines.length, 1)
  created = lines[0] as string
  assert.match(created, /^aff_[A-Za-z0-9_-]{43}$/)
  assert.match(r.stderr, /shown only this once/)
  const reply = await visitsWith(created)
  assert.is(reply.status, 200)
})

test('list shows users, tenants and roles, never a whole hash or token', () => {
  const r = token('list')
  assert.is(r.status, 0, r.stderr)
  const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'))
  assert.equal(rows[0], ['hash', 'user', 'tenant', 'roles', 'created', 'status'])
  const carol = rows.find((row) => row[1] === 'carol')
  assert.ok(carol)
  assert.equal(carol?.slice(2, 4), ['north', 'dispatcher,admin'])
  assert.is(carol?.[5], 'active')
  assert.match(carol?.[0] ?? '', /^[0-9a-f]{12}…$/)
  assert.not.match(r.stdout, /[0-9a-f]{13}/)
  assert.not.ok(r.stdout.includes(created))
})

test('revoke makes the token fail with 401 invalid_token; a second revoke fails', async () => {
  const r = token('revoke', created)
  assert.is(r.status, 0, r.stderr)
  const reply = await visitsWith(created)
  assert.is(reply.status, 401)
  assert.match(reply.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/)
  assert.is(token('revoke', created).status, 1)
  assert.match(token('list').stdout, /carol\tnorth\tdispatcher,admin\t\S+\trevoked/)
})

test('revoke --hash takes the prefix that list shows', () => {
  const made = token('create', '--tenant', 'south', '--role', 'reader')
  assert.is(made.status, 0)
  const row = token('list').stdout.split('\n').find((l) => l.includes('\tsouth\treader\t'))
  const prefix = (row ?? '').slice(0, 12)
  assert.is(token('revoke', '--hash', prefix).status, 0)
  assert.match(token('list').stdout, new RegExp(`${prefix}…\\t\\S+\\tsouth\\treader\\t\\S+\\trevoked`))
})

test('create refuses a role that no resource type uses, and issues nothing', () => {
  const before = token('list').stdout
  const r = token('create', '--tenant', 'north', '--role', 'superuser')
  assert.is(r.status, 2)
  assert.is(r.stdout, '')
  assert.match(r.stderr, /role "superuser" is not used by any resource type.*admin, clinician, dispatcher, reader/s)
  assert.is(token('list').stdout, before)
})

test('the roles checked are those of the app that last served the database, whatever its types', async () => {
  const other = join(dir, 'own-types.db')
  const { defineMachine, defineResource } = await import('../../src/index.ts')
  const machine = defineMachine({ name: 'ticket', initial: 'open', states: ['open', 'closed'], terminal: ['closed'], actions: { close: { from: 'open', to: 'closed', roles: ['agent'] } } })
  const schema = { $id: 'https://example.org/ticket.json', type: 'object', properties: { title: { type: 'string' } }, additionalProperties: false }
  const ticket = defineResource({ name: 'ticket', collection: 'tickets', schema, machine, stateField: 'status', policy: { view: ['agent', 'customer'], create: ['customer'] } })
  createApp({ resources: [ticket], database: other, log: () => {} }).close()
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, 'token', ...args], { env: { ...process.env, DATABASE_URL: other }, encoding: 'utf8' })
  assert.is(run('create', '--tenant', 't', '--role', 'customer').status, 0)
  const refused = run('create', '--tenant', 't', '--role', 'dispatcher')
  assert.is(refused.status, 2)
  assert.match(refused.stderr, /agent, customer/)
})

test('on a database never served, create says to start the server first', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'token', 'create', '--tenant', 'north', '--role', 'reader'], { env: { ...process.env, DATABASE_URL: join(dir, 'never-served.db') }, encoding: 'utf8' })
  assert.is(r.status, 1)
  assert.is(r.stdout, '')
  assert.match(r.stderr, /never been served/)
})

for (const [label, args] of [
  ['no command', []],
  ['an unknown command', ['mint']],
  ['create without a role', ['create', '--tenant', 'north']],
  ['create without a tenant', ['create', '--role', 'reader']],
  ['a tenant with spaces', ['create', '--tenant', 'north pole', '--role', 'reader']],
  ['an unknown option', ['create', '--tenant', 'north', '--role', 'reader', '--admin']],
  ['revoke without a token', ['revoke']],
] as const) {
  test(`${label}: usage on stderr, exit 2, nothing printed on stdout`, () => {
    const r = token(...args)
    assert.is(r.status, 2)
    assert.is(r.stdout, '')
    assert.match(r.stderr, /Usage/)
  })
}

test.run()
