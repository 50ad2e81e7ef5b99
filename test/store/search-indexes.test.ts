import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openStore } from '../../src/store/open.ts'
import { filterSql, sqliteDialect } from '../../src/store/filter-sql.ts'
import type { IndexedField } from '../../src/store/types.ts'
import { newTestDatabase, queryDatabase, storeKinds } from '../helpers/stores.ts'

// Declared fields get an index over the very expression their filters compare, on every store.
const fields: IndexedField[] = [{ field: 'who', as: 'text' }, { field: 'count', as: 'number' }, { field: 'when', as: 'date-time' }]
const names = ['resources_by_text_who', 'resources_by_number_count', 'resources_by_date_time_when']

for (const kind of storeKinds) {
  const test = suite(`search indexes (${kind})`)
  test('made once per field, again without harm, and listed by the database', async () => {
    const db = await newTestDatabase(kind)
    const store = await openStore(db.location)
    try {
      assert.ok(store.indexFields !== undefined)
      await store.indexFields(fields)
      await store.indexFields(fields)
      const rows = kind === 'sqlite'
        ? await queryDatabase(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'resources_by_%'")
        : await queryDatabase(db, "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'resources' AND schemaname = current_schema()")
      const found = (rows as { name: string }[]).map((r) => r.name)
      for (const name of [...names, 'resources_by_state']) assert.ok(found.includes(name), `${name} among ${found.join(', ')}`)
      if (kind === 'sqlite') {
        // The planner reads a filtered page through the field's index: the expressions match.
        for (const f of fields) {
          const where = filterSql([f.as === 'text' ? { kind: 'equals', field: f.field, values: ['x'] } : { kind: 'range', field: f.field, as: f.as, after: f.as === 'number' ? 1 : '2026-01-01T00:00:00.000Z' }], sqliteDialect, 1)
          const literal = where.sql.replace('?', typeof where.values[0] === 'number' ? '1' : `'${String(where.values[0])}'`)
          const plan = await queryDatabase(db, `EXPLAIN QUERY PLAN SELECT * FROM resources WHERE type = 'f' AND tenant = 'n'${literal} ORDER BY seq LIMIT 5`)
          assert.match(JSON.stringify(plan), names[fields.indexOf(f)] as string, f.field)
        }
      }
    } finally {
      await store.close()
      await db.remove()
    }
  })
  test.run()
}
