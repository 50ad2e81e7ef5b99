import pg from 'pg'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { hashToken } from '../src/auth/bearer.ts'
import { openPostgresStore } from '../src/store/postgres/open.ts'
import { processCpuMicros } from './servers.ts'

/** The maintenance database the bench creates and drops its databases from (`BENCH_PG` overrides it). */
export const adminUrl = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** Every database of one bench run is named `affordance_bench_<pid>`, or that and `_<suffix>`. */
export const runPrefix = (pid: number): string => `affordance_bench_${pid}`

/** A bench database on PostgreSQL: its name, URL and the bearer token of the bench user. */
export interface PgBenchDatabase {
  readonly name: string
  readonly url: string
  readonly token: string
  readonly rows: number
}

/** The admin URL with another database in its path, its user, host and options kept. */
function databaseUrl(name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`

/** The same caller as the SQLite bench database's: a reader who owns every bookmark. */
const benchUser = { id: 'north-reader', name: 'Reader (north)', tenant: 'north', roles: ['reader'] } as const

/**
 * Creates `name`, migrates it by opening the PostgreSQL store on it once, then fills it as the
 * SQLite bench database is filled (`rows` queued bookmarks of the bench user, each with its
 * `create` history entry, and one token), in bulk on the server, and vacuums it so that every copy
 * starts with its visibility map set and its statistics known.
 */
export async function seedDatabase(admin: pg.Client, name: string, rows: number): Promise<PgBenchDatabase> {
  await admin.query(`CREATE DATABASE ${quoted(name)}`)
  const url = databaseUrl(name)
  const store = await openPostgresStore({ url, max: 1, listen: false })
  await store.close()
  const token = `bench_${randomBytes(24).toString('base64url')}`
  const now = Date.now()
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('BEGIN')
    await client.query('INSERT INTO tokens (hash, user_id, name, tenant, roles, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [hashToken(token), benchUser.id, benchUser.name, benchUser.tenant, JSON.stringify(benchUser.roles), now])
    // The data text is what JSON.stringify writes for the SQLite database's rows.
    await client.query(`INSERT INTO resources (id, type, tenant, owner, state, data, version, created_at, updated_at)
      SELECT gen_random_uuid()::text, 'bookmark', $1, $2, 'queued',
        '{"bookmark_url":"https://example.org/articles/' || i || '","title":"Article number ' || i || '"}', 1, $3, $3
      FROM generate_series(0, $4::integer - 1) AS i ORDER BY i`, [benchUser.tenant, benchUser.id, now, rows])
    await client.query(`INSERT INTO history (resource_id, seq, action, from_state, to_state, input, actor, at)
      SELECT id, 1, 'create', NULL, 'queued', data, owner, created_at FROM resources`)
    await client.query('COMMIT')
    await client.query('VACUUM (FREEZE, ANALYZE)')
  } finally {
    await client.end()
  }
  return { name, url, token, rows }
}

/** A private copy of a bench database for one server (transitions change it): `CREATE DATABASE … TEMPLATE`. */
export async function copyDatabase(admin: pg.Client, source: PgBenchDatabase, name: string): Promise<PgBenchDatabase> {
  await admin.query(`CREATE DATABASE ${quoted(name)} TEMPLATE ${quoted(source.name)}`)
  return { ...source, name, url: databaseUrl(name) }
}

/** Drops a database, ending any session still in it. */
export async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`)
}

/** Drops the databases of bench runs whose process is gone (killed before it could clean up); returns their names. */
export async function dropOrphans(admin: pg.Client): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname ~ '^affordance_bench_[0-9]+(_|$)'")
  const orphans = rows.map((r) => r.datname).filter((name) => !alive(Number(/^affordance_bench_(\d+)/.exec(name)?.[1])))
  for (const name of orphans) await dropDatabase(admin, name)
  return orphans
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Every `step`-th resource id of a bench database, and the `seq` that starts its last page. */
export async function sampleIds(db: PgBenchDatabase, step: number): Promise<{ ids: string[]; lastSeq: number }> {
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  try {
    const ids = (await client.query<{ id: string }>('SELECT id FROM resources WHERE seq % $1 = 0 ORDER BY seq', [step])).rows.map((r) => r.id)
    const lastSeq = Number((await client.query<{ max: string }>('SELECT max(seq) FROM resources')).rows[0]?.max ?? 0)
    return { ids, lastSeq }
  } finally {
    await client.end()
  }
}

/**
 * Whether a PostgreSQL process works for the bench run of `prefix`, from its process title:
 * the postmaster and the background processes (WAL writer, checkpointer…) do, for every
 * database; a backend or autovacuum worker does when its database is one of the run's.
 */
export function servesBench(cmdline: string, prefix: string): boolean {
  const title = cmdline.replace(/\0/g, ' ').trim()
  // "postgres: <cluster>: <user> <database> <host>(<port>) <activity>", or "postgres: <cluster>: autovacuum worker <database>".
  const rest = /^postgres: (?:[^\s:]+: )?(.*)$/.exec(title)?.[1]
  if (rest === undefined) return true
  const database = /^autovacuum worker (\S+)/.exec(rest)?.[1] ?? /^\S+ (\S+) (?:\S+\(\d+\)|\[local\])/.exec(rest)?.[1]
  return database === undefined || database === prefix || database.startsWith(`${prefix}_`)
}

/**
 * User + system CPU time so far of each PostgreSQL process working for the run, by pid, in
 * microseconds. Sessions of other databases (other work on the same server) are left out.
 */
export function postgresCpu(prefix: string): Map<number, number> {
  const cpu = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue
      if (!servesBench(readFileSync(`/proc/${entry}/cmdline`, 'utf8'), prefix)) continue
      cpu.set(Number(entry), processCpuMicros(Number(entry)))
    } catch {
      // The process ended while being read.
    }
  }
  return cpu
}

/**
 * CPU time spent between two readings of `postgresCpu`: what each process still there spent,
 * all of it for a process started since. A process that ended in between (an idle pooled
 * session closed) is left out rather than counted negative: its last moments are not seen.
 */
export function cpuSpentSince(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let spent = 0
  for (const [pid, micros] of after) spent += Math.max(0, micros - (before.get(pid) ?? 0))
  return spent
}
