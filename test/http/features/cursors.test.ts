import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { cursorScope, cursorSealer, storedCursorSealer } from '../../../src/http/features/cursor.ts'
import { openSqliteStore } from '../../../src/store/sqlite-store.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Cursors are opaque and belong to one caller and one list: no row counter to read, none to borrow.
const test = suite('cursors')
let server: TestServer
const visit = (i: number) => ({ patient: `P${i}`, address: `${i} Road`, scheduled_for: '2026-06-01T10:00:00Z' })
const nextOf = async (path: string, as: string): Promise<string> => {
  const r = await server.request('GET', path, { as })
  assert.is(r.status, 200, path)
  return r.json.next_url as string
}
const cursorOf = (next: string): string => new URL(next, 'http://x').searchParams.get('after') as string
const statusOf = async (path: string, as: string): Promise<number> => (await server.request('GET', path, { as })).status

test.before(async () => {
  server = await startServer()
  for (const tenant of ['north', 'south']) {
    for (let i = 0; i < 3; i++) await server.request('POST', '/visits', { as: `${tenant}-dispatcher`, json: visit(i) })
  }
})
test.after(async () => { await server.close() })

test('a next link carries an opaque cursor, not the row counter', async () => {
  const next = await nextOf('/visits?limit=1', 'north-dispatcher')
  const cursor = cursorOf(next)
  assert.match(cursor, /^[A-Za-z0-9_-]{48}$/)
  assert.ok(!/^\d+$/.test(cursor))
  // Another tenant's writes between two of ours do not show in our cursors' lengths or text.
  const again = await nextOf('/visits?limit=1', 'north-dispatcher')
  assert.is(again, next, 'the same page gets the same cursor (its ETag stays put)')
  const page = await server.request('GET', next, { as: 'north-dispatcher' })
  assert.is(page.status, 200)
  assert.is(page.json.items.length, 1)
})

test('a cursor walks every item once', async () => {
  const seen: string[] = []
  let next: string | undefined = '/visits?limit=1'
  while (next !== undefined) {
    const page: { json: { items: { url: string }[]; next_url?: string } } = await server.request('GET', next, { as: 'north-admin' })
    seen.push(...page.json.items.map((i) => i.url))
    next = page.json.next_url
  }
  assert.ok(seen.length >= 3)
  assert.is(new Set(seen).size, seen.length)
})

test('another caller, another tenant or another list cannot use a cursor: 400', async () => {
  const next = await nextOf('/visits?limit=1', 'north-dispatcher')
  const cursor = cursorOf(next)
  assert.is(await statusOf(next, 'north-admin'), 400, 'another user of the same tenant')
  assert.is(await statusOf(next, 'south-dispatcher'), 400, 'another tenant')
  assert.is(await statusOf(`/bookmarks?after=${cursor}`, 'north-admin'), 400, 'another collection')
  const r = await server.request('GET', next, { as: 'south-dispatcher' })
  assert.is(r.json.status, 400)
  assert.match(r.json.detail, 'next link')
})

test('a forged, truncated or numeric cursor is 400', async () => {
  const cursor = cursorOf(await nextOf('/visits?limit=1', 'north-dispatcher'))
  const flip = (s: string, i: number): string => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1)
  for (const bad of [flip(cursor, 0), flip(cursor, 20), flip(cursor, 47), cursor.slice(0, 40), `${cursor}A`, '1', '0', '99999999999999999999', 'abc', '%00']) {
    assert.is(await statusOf(`/visits?limit=1&after=${bad}`, 'north-dispatcher'), 400, bad)
  }
})

test('the cursor key is made once per database: cursors outlive a restart and work across processes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aff-cursor-'))
  try {
    const file = join(dir, 'c.db')
    const a = openSqliteStore({ filename: file })
    const b = openSqliteStore({ filename: file })
    const scope = cursorScope('collection', 'visit', 'north', 'north-admin')
    const sealed = (await storedCursorSealer(a)).seal(scope, 42)
    assert.is((await storedCursorSealer(b)).open(scope, sealed), 42)
    a.close()
    b.close()
    const c = openSqliteStore({ filename: file })
    assert.is((await storedCursorSealer(c)).open(scope, sealed), 42)
    assert.is((await storedCursorSealer(c)).open(cursorScope('collection', 'visit', 'north', 'north-reader'), sealed), undefined)
    c.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('sealing: distinct positions give unrelated cursors; another key opens none', () => {
  const sealer = cursorSealer(Buffer.alloc(32, 1))
  const scope = cursorScope('history', 'r1', 't', 'u')
  const one = sealer.seal(scope, 1)
  const two = sealer.seal(scope, 2)
  assert.is.not(one, two)
  assert.is(sealer.open(scope, one), 1)
  assert.is(sealer.open(scope, two), 2)
  assert.is(cursorSealer(Buffer.alloc(32, 2)).open(scope, one), undefined)
})

test.run()
