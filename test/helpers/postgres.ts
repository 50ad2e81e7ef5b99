import { randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * One PostgreSQL database per test process, made on first use and dropped when the process
 * ends; each store under test gets a schema of its own in it. The server is reached through
 * `AFFORDANCE_TEST_PG` (an administrator's URL), by default the local one.
 */
const ADMIN_URL = process.env.AFFORDANCE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const PREFIX = 'affordance_test_'

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`

/** The admin URL, pointed at another database, with query parameters set. */
function urlOf(database: string, params: Record<string, string> = {}): string {
  const url = new URL(ADMIN_URL)
  url.pathname = `/${database}`
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  return url.toString()
}

/** Runs `work` with a connection of its own, closed after: nothing stays open to keep the process alive. */
async function using<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'affordance-tests' })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

let database: Promise<string> | undefined

/** The name of this process's test database, created (and its drop on exit arranged) on first call. */
function testDatabase(): Promise<string> {
  database ??= using(ADMIN_URL, async (admin) => {
    // Databases left by test processes that died before dropping theirs.
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [PREFIX])
    for (const { datname } of rows) {
      const pid = Number(datname.slice(PREFIX.length).split('_')[0])
      if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) await admin.query(`DROP DATABASE IF EXISTS ${quoted(datname)} WITH (FORCE)`)
    }
    const name = `${PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`
    await admin.query(`CREATE DATABASE ${quoted(name)}`)
    let dropped = false
    process.on('beforeExit', () => {
      if (dropped) return
      dropped = true
      void using(ADMIN_URL, (a) => a.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`)).catch((error: unknown) => {
        console.error(`could not drop the test database ${name}:`, error)
        process.exitCode = 1
      })
    })
    return name
  })
  return database
}

/** A schema of its own in the test database. */
export interface FreshSchema {
  readonly schema: string
  /** Selects the schema (`options=-c search_path=…`) and names the connections after it (`application_name`). */
  readonly url: string
  drop(): Promise<void>
}

let schemas = 0

/** Creates a new, empty schema in this process's test database. */
export async function freshSchemaUrl(): Promise<FreshSchema> {
  const name = await testDatabase()
  const schema = `s${++schemas}_${randomBytes(3).toString('hex')}`
  await using(urlOf(name), (c) => c.query(`CREATE SCHEMA ${schema}`))
  return {
    schema,
    url: urlOf(name, { options: `-c search_path=${schema}`, application_name: `affordance_${schema}` }),
    drop: () => using(urlOf(name), async (c) => { await c.query(`DROP SCHEMA ${schema} CASCADE`) }),
  }
}

/** Waits until `condition` holds, checking every 20 ms; fails naming `what` after `ms` (a bound on a hang, not a speed check). */
export async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Runs one statement on the test database with a connection of its own. */
export async function adminQuery<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  return using(urlOf(await testDatabase()), async (c) => (await c.query<R>(text, values)).rows)
}
