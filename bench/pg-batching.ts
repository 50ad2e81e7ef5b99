import pg from 'pg'
import { adminUrl } from './pg-database.ts'

/**
 * `node --import tsx bench/pg-batching.ts`: does committing the writes of one event-loop
 * turn together pay on PostgreSQL, as it does on SQLite? The same compare-and-swap +
 * history statement per write, either each on its own (autocommit, a pool of 10), or all
 * those of one turn in one transaction on one pooled connection. A database is made for the
 * run and dropped at its end.
 */
const SECONDS = 4
const ROWS = 100_000
const name = `affordance_batching_${process.pid}`
const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
await admin.query(`CREATE DATABASE ${name}`)
const url = (() => {
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  return u.toString()
})()

const WRITE = `WITH u AS (UPDATE r SET version = version + 1, state = $2 WHERE id = $1 AND version = $3 RETURNING version)
  INSERT INTO h SELECT $1, u.version, $2 FROM u`
let next = 0
// Each write moves a resource not moved before, from version 1: every compare-and-swap matches.
const write = (): [number, string, number] => [(next++ % ROWS) + 1, 'read', 1]

async function prepare(): Promise<void> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  await c.query('DROP TABLE IF EXISTS h; DROP TABLE IF EXISTS r')
  await c.query('CREATE TABLE r (id int PRIMARY KEY, version int NOT NULL, state text NOT NULL)')
  await c.query('CREATE TABLE h (resource_id int, seq int, action text, PRIMARY KEY (resource_id, seq))')
  await c.query(`INSERT INTO r SELECT g, 1, 'queued' FROM generate_series(1, ${ROWS}) g`)
  await c.query('VACUUM ANALYZE r')
  await c.end()
  next = 0
}

/** Writes per second with `callers` each writing one after another for SECONDS. */
async function run(callers: number, submit: (pool: pg.Pool, values: unknown[]) => Promise<void>): Promise<number> {
  await prepare()
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  const end = Date.now() + SECONDS * 1000
  let done = 0
  await Promise.all(Array.from({ length: callers }, async () => {
    while (Date.now() < end) {
      await submit(pool, write())
      done++
    }
  }))
  await pool.end()
  return done / SECONDS
}

const single = (pool: pg.Pool, values: unknown[]): Promise<void> => pool.query(WRITE, values).then(() => undefined)

/** The writes of one turn, queued and committed together (SQLite's group commit, done on PostgreSQL). */
function batcher(): (pool: pg.Pool, values: unknown[]) => Promise<void> {
  let queue: { values: unknown[]; resolve: () => void; reject: (e: unknown) => void }[] = []
  let scheduled = false
  const flush = async (pool: pg.Pool): Promise<void> => {
    scheduled = false
    const batch = queue
    queue = []
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      for (const item of batch) await client.query(WRITE, item.values)
      await client.query('COMMIT')
      batch.forEach((item) => item.resolve())
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      batch.forEach((item) => item.reject(error))
    } finally {
      client.release()
    }
  }
  return (pool, values) => new Promise<void>((resolve, reject) => {
    queue.push({ values, resolve, reject })
    if (!scheduled) {
      scheduled = true
      setImmediate(() => void flush(pool))
    }
  })
}

try {
  console.log(`PostgreSQL, ${ROWS.toLocaleString('en')} rows, ${SECONDS} s each: writes/s`)
  console.log('| callers | one statement each (autocommit, pool of 10) | a turn\'s writes in one transaction |')
  console.log('|---:|---:|---:|')
  for (const callers of [10, 50]) {
    const each = await run(callers, single)
    const together = await run(callers, batcher())
    console.log(`| ${callers} | ${Math.round(each).toLocaleString('en')} | ${Math.round(together).toLocaleString('en')} |`)
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.end()
}
