import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { openStore } from '../store/open.ts'
import type { Store, TokenListing } from '../store/types.ts'
import { hashToken, issueToken } from '../auth/bearer.ts'
import { recordedRoles } from '../auth/policy.ts'
import { type Command, type Output } from './command.ts'
import { readSettings, settingsHelp } from './settings.ts'

const USAGE = `Usage: affordance token create --tenant <t> --role <r> [--role <r2>] [--user <u>] [--name <n>]
       affordance token revoke <token>
       affordance token revoke --hash <first characters of the hash shown by list>
       affordance token list

Issues, revokes and lists bearer tokens in the database (npm run token -- … in the project).
${settingsHelp(['database'])}`

// Identifiers end up in URLs, logs and tables: keep them plain.
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

class UsageError extends Error {}

function identifier(label: string, value: string | undefined): string {
  if (value === undefined || !IDENTIFIER.test(value)) throw new UsageError(`${label} must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`)
  return value
}

async function create(store: Store, args: readonly string[], io: Output, now: number): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { tenant: { type: 'string' }, role: { type: 'string', multiple: true }, user: { type: 'string' }, name: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`)
  const tenant = identifier('--tenant', values.tenant)
  const roles = values.role ?? []
  if (roles.length === 0) throw new UsageError('give at least one --role')
  roles.forEach((r) => identifier('--role', r))
  const known = await recordedRoles(store)
  if (known === undefined) throw new Error('this database has never been served, so its roles are not known: serve it once (affordance serve), then create tokens')
  const unknown = roles.find((r) => !known.includes(r))
  if (unknown !== undefined) throw new UsageError(`role "${unknown}" is not used by any resource type; the roles are: ${known.join(', ')}`)
  const id = identifier('--user', values.user ?? `user-${randomBytes(4).toString('hex')}`)
  const name = values.name ?? id
  if (name.trim() === '' || name.length > 100) throw new UsageError('--name must be 1–100 characters')
  const token = await issueToken(store, { id, name, tenant, roles: [...new Set(roles)] }, now)
  io.err(`Token for ${id} (tenant ${tenant}, roles ${roles.join(', ')}). It is shown only this once:`)
  io.out(token)
}

async function revoke(store: Store, args: readonly string[], io: Output, now: number): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { hash: { type: 'string' } }, strict: true, allowPositionals: true })
  let hash: string
  if (values.hash !== undefined) {
    if (positionals.length > 0) throw new UsageError('give a token or --hash, not both')
    if (!/^[0-9a-f]{8,64}$/.test(values.hash)) throw new UsageError('--hash takes at least 8 hexadecimal characters')
    const matches = ((await store.listTokens?.()) ?? []).filter((t) => t.hash.startsWith(values.hash as string))
    if (matches.length !== 1) {
      io.err(matches.length === 0 ? 'No token has a hash starting so.' : 'Several tokens match; give more characters of the hash.')
      return 1
    }
    hash = (matches[0] as TokenListing).hash
  } else {
    if (positionals.length !== 1) throw new UsageError('give exactly one token to revoke')
    hash = hashToken(positionals[0] as string)
  }
  if (!(await store.revokeToken(hash, now))) {
    io.err('No active token matches; nothing revoked.')
    return 1
  }
  io.out(`Revoked token ${hash.slice(0, 12)}…`)
  return 0
}

const statusOf = (t: TokenListing, now: number): string =>
  t.revoked ? 'revoked' : t.expires_at !== null && now >= t.expires_at ? 'expired' : 'active'

async function list(store: Store, args: readonly string[], io: Output, now: number): Promise<void> {
  if (args.length > 0) throw new UsageError('list takes no arguments')
  const rows = (await store.listTokens?.()) ?? []
  io.out(['hash', 'user', 'tenant', 'roles', 'created', 'status'].join('\t'))
  for (const t of rows) {
    // Twelve hex characters identify a token for `revoke --hash` without making the hash reusable.
    io.out([`${t.hash.slice(0, 12)}…`, t.user_id, t.tenant, t.roles.join(','), new Date(t.created_at).toISOString(), statusOf(t, now)].join('\t'))
  }
}

/** Runs one `token` command against the database; returns the exit code. */
async function runTokenCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: Output, now = Date.now()): Promise<number> {
  const read = readSettings(['database'], argv, env)
  if (!read.ok) {
    read.errors.forEach((e) => io.err(e))
    return 2
  }
  const [command, ...rest] = read.rest
  if (command !== 'create' && command !== 'revoke' && command !== 'list') {
    const help = command === 'help' || command === '--help' || command === '-h'
    if (help) io.out(USAGE)
    else io.err(command === undefined ? USAGE : `Unknown command "${command}".\n${USAGE}`)
    return help ? 0 : 2
  }
  let store: Store | undefined
  try {
    // One-shot: no listening for other instances' revocations; its own revocations still reach them.
    store = await openStore((read.values.database as string | undefined) ?? 'data/affordance.db', { sqlite: { groupCommit: false }, postgres: { listen: false, max: 1 } })
    if (command === 'create') await create(store, rest, io, now)
    else if (command === 'list') await list(store, rest, io, now)
    else return await revoke(store, rest, io, now)
    return 0
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true
    io.err(usage ? `${(error as Error).message}\n${USAGE}` : `token: ${(error as Error).message}`)
    return usage ? 2 : 1
  } finally {
    await store?.close()
  }
}

export const tokenCommand: Command = { summary: 'issue, revoke and list bearer tokens', usage: USAGE, run: async (argv, env, io) => runTokenCli(argv, env, io) }
