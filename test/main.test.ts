import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'

// `npm start` as a user runs it: seeds a new database, prints tokens and its URL, and
// shuts down cleanly on SIGTERM and SIGINT with every acknowledged write on disk.
const test = suite('npm start')
const root = new URL('..', import.meta.url).pathname

async function start(file: string): Promise<{ url: string; output: () => string; stop: (signal: NodeJS.Signals) => Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { ...process.env, PORT: '0', DATABASE_URL: file }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 20_000)
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+?)\/ /.exec(output)
      if (m?.[1] === undefined) return
      clearTimeout(timer)
      resolve(m[1])
    })
    child.once('exit', () => reject(new Error(`exited early: ${output}`)))
  })
  return {
    url,
    output: () => output,
    stop: (signal) => new Promise((resolve) => {
      child.once('exit', (code) => resolve(code))
      child.kill(signal)
    }),
  }
}

test('seeds, prints tokens, serves, and closes cleanly on SIGTERM then SIGINT', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-start-'))
  const file = join(dir, 'nested', 'demo.db')
  try {
    const first = await start(file)
    const token = /north-reader\s+reader\s+(\S+)/.exec(first.output())?.[1]
    assert.ok(token, 'a demo token is printed')
    const list = await fetch(`${first.url}/bookmarks`, { headers: { authorization: `Bearer ${token}` } })
    assert.is(list.status, 200)
    const items = ((await list.json()) as { items: { read_url?: string }[] }).items
    assert.is(items.length, 3)
    const target = items.find((i) => i.read_url !== undefined)?.read_url as string
    const read = await fetch(`${first.url}${target}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    assert.is(read.status, 200)
    assert.is(await first.stop('SIGTERM'), 0)
    assert.match(first.output(), /SIGTERM: closing/)

    const second = await start(file)
    assert.not.match(second.output(), /demo tokens/i, 'an existing database is not seeded again')
    const again = await fetch(`${second.url}${target}`.replace(/\/read$/, ''), { headers: { authorization: `Bearer ${token}` } })
    assert.is(((await again.json()) as { data: { read_status: string } }).data.read_status, 'read', 'the acknowledged write survived')
    assert.is(await second.stop('SIGINT'), 0)

    const db = new Database(file, { readonly: true })
    assert.is(db.pragma('integrity_check', { simple: true }), 'ok')
    db.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
test.run()
