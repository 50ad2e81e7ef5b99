import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openSqliteStore } from '../../src/store/sqlite-store.ts'

const test = suite('store: settings kept in the database')
const dir = mkdtempSync(join(tmpdir(), 'aff-meta-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

test('unset keys read undefined; setMeta replaces; metaOnce keeps the first value', () => {
  const store = openSqliteStore({ filename: ':memory:' })
  assert.is(store.meta('k'), undefined)
  assert.is(store.metaOnce('k', 'first'), 'first')
  assert.is(store.metaOnce('k', 'second'), 'first')
  store.setMeta('k', 'third')
  assert.is(store.meta('k'), 'third')
  store.close()
})

test('two connections racing metaOnce agree on one value, which survives reopening', () => {
  const file = join(dir, 'meta.db')
  const a = openSqliteStore({ filename: file })
  const b = openSqliteStore({ filename: file })
  const va = a.metaOnce('key', 'from-a')
  const vb = b.metaOnce('key', 'from-b')
  assert.is(va, 'from-a')
  assert.is(vb, 'from-a')
  a.close()
  b.close()
  const c = openSqliteStore({ filename: file })
  assert.is(c.meta('key'), 'from-a')
  c.close()
})

test.run()
