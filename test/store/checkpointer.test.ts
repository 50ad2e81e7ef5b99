import Database from 'better-sqlite3'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openSqliteStore } from '../../src/index.ts'

// Checkpoints run on a background thread: the database file alone must catch up with the WAL.
const test = suite('background checkpoints')
let dir: string
test.before(() => { dir = mkdtempSync(join(tmpdir(), 'affordance-checkpoint-')) })
test.after(() => rmSync(dir, { recursive: true, force: true }))

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Writes `count` resources, waits, then counts them in a copy of the main file without its WAL. */
async function rowsInMainFile(name: string, checkpointInterval: number, count: number): Promise<number> {
  const file = join(dir, `${name}.db`)
  const store = openSqliteStore({ filename: file, checkpointInterval })
  try {
    const answer = (): { value: undefined } => ({ value: undefined })
    await Promise.all(Array.from({ length: count }, (_, i) =>
      store.create({ row: { id: `${name}-${i}`, type: 'bookmark', tenant: 'north', owner: null, state: 'queued', data: { i }, actor: null, at: 0 }, answer })))
    await sleep(300 + 3 * checkpointInterval)
    const copy = join(dir, `${name}-copy.db`)
    copyFileSync(file, copy)
    const db = new Database(copy, { readonly: true })
    try {
      // Without a checkpoint even the migrations are still only in the WAL.
      const migrated = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'resources'").pluck().get() === 1
      return migrated ? (db.prepare('SELECT count(*) FROM resources').pluck().get() as number) : 0
    } finally {
      db.close()
    }
  } finally {
    store.close()
  }
}

test('with a checkpoint thread, committed writes reach the database file', async () => {
  assert.is(await rowsInMainFile('background', 50, 25), 25)
})

test('without one, a small WAL is not copied back (so the test above can fail)', async () => {
  assert.is(await rowsInMainFile('inline', 0, 25), 0)
})

test.run()
