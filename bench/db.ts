import Database from 'better-sqlite3'
import { randomBytes, randomUUID } from 'node:crypto'
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { hashToken } from '../src/auth/bearer.ts'
import { migrate } from '../src/store/migrations.ts'

/** The caller every scenario acts as: a reader who owns every bookmark of the database. */
const benchUser = { id: 'north-reader', name: 'Reader (north)', tenant: 'north', roles: ['reader'] } as const

/** A bench database: its file and the bearer token of `benchUser`. */
export interface BenchDatabase {
  readonly file: string
  readonly token: string
  readonly rows: number
}

/**
 * Builds (once, then reuses) a database of `rows` queued bookmarks owned by `benchUser`,
 * each with its `create` history entry, written straight through SQL in one transaction.
 */
export function benchDatabase(file: string, rows: number): BenchDatabase {
  const tokenFile = `${file}.token`
  if (existsSync(file) && existsSync(tokenFile)) return { file, token: readFileSync(tokenFile, 'utf8'), rows }
  mkdirSync(dirname(file), { recursive: true })
  const building = `${file}.building`
  rmSync(building, { force: true })
  const db = new Database(building)
  db.pragma('journal_mode = WAL')
  // The build is a cache: losing it to a crash only means building it again.
  db.pragma('synchronous = OFF')
  migrate(db)
  const token = `bench_${randomBytes(24).toString('base64url')}`
  const now = Date.now()
  const insert = db.prepare(`INSERT INTO resources (id, type, tenant, owner, state, data, version, created_at, updated_at)
    VALUES (?, 'bookmark', ?, ?, 'queued', ?, 1, ?, ?)`)
  const history = db.prepare(`INSERT INTO history (resource_id, seq, action, from_state, to_state, input, actor, at)
    VALUES (?, 1, 'create', NULL, 'queued', ?, ?, ?)`)
  db.transaction(() => {
    db.prepare('INSERT INTO tokens (hash, user_id, name, tenant, roles, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(hashToken(token), benchUser.id, benchUser.name, benchUser.tenant, JSON.stringify(benchUser.roles), now)
    for (let i = 0; i < rows; i++) {
      const id = randomUUID()
      const data = JSON.stringify({ bookmark_url: `https://example.org/articles/${i}`, title: `Article number ${i}` })
      insert.run(id, benchUser.tenant, benchUser.id, data, now, now)
      history.run(id, data, benchUser.id, now)
    }
  }).immediate()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  rmSync(`${building}-wal`, { force: true })
  rmSync(`${building}-shm`, { force: true })
  renameSync(building, file)
  writeFileSync(tokenFile, token)
  return { file, token, rows }
}

/** Removes a database file with its WAL and shared-memory files. */
export function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
}

/** A private copy of a bench database for one server, since transitions change it, flushed to disk. */
export function copyDatabase(source: BenchDatabase, file: string): BenchDatabase {
  removeDatabase(file)
  copyFileSync(source.file, file)
  // On disk before any measure starts: writing back hundreds of megabytes meanwhile would slow every fsync measured.
  const fd = openSync(file, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return { ...source, file }
}

/** Every `step`-th resource id of a bench database, and the `seq` that starts its last page. */
export function sampleIds(file: string, step: number): { ids: string[]; lastSeq: number } {
  const db = new Database(file, { readonly: true })
  try {
    const ids = db.prepare('SELECT id FROM resources WHERE seq % ? = 0').pluck().all(step) as string[]
    const lastSeq = db.prepare('SELECT max(seq) FROM resources').pluck().get() as number
    return { ids, lastSeq }
  } finally {
    db.close()
  }
}
