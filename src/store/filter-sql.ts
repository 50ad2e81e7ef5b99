import type { Filter, IndexedField, Sort } from './types.ts'

/** How one database spells a field of the JSON data, and a query parameter. */
export interface Dialect {
  /** The field as text (for equality). */
  readonly text: (field: string) => string
  readonly number: (field: string) => string
  /** The date-time as UTC text with milliseconds, which sorts as time does. */
  readonly instant: (field: string) => string
  /** The placeholder of the n-th parameter (1-based). */
  readonly param: (n: number) => string
}

/** SQLite: `json_extract`, and `strftime` to bring every offset to UTC; the same expressions as the indexes. */
export const sqliteDialect: Dialect = {
  text: (f) => `json_extract(data, '$.${f}')`,
  number: (f) => `json_extract(data, '$.${f}')`,
  instant: (f) => `strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(data, '$.${f}'))`,
  param: () => '?',
}

/** PostgreSQL: the text column read as jsonb; `affordance_instant` is made by a migration. */
export const postgresDialect: Dialect = {
  text: (f) => `(data::jsonb ->> '${f}')`,
  number: (f) => `((data::jsonb ->> '${f}')::numeric)`,
  instant: (f) => `affordance_instant(data::jsonb ->> '${f}')`,
  param: (n) => `$${n}`,
}

/**
 * The conditions (each starting with ` AND `) and their values, numbered after `first - 1`
 * values already bound. Field names are identifiers checked when the type was defined.
 */
export function filterSql(filters: readonly Filter[] | undefined, d: Dialect, first: number): { sql: string; values: unknown[] } {
  const values: unknown[] = []
  const p = (v: unknown): string => {
    values.push(v)
    return d.param(first + values.length - 1)
  }
  let sql = ''
  for (const f of filters ?? []) {
    switch (f.kind) {
      case 'state':
        sql += ` AND state IN (${f.values.map(p).join(', ')})`
        break
      case 'equals':
        sql += ` AND ${d.text(f.field)} IN (${f.values.map(p).join(', ')})`
        break
      case 'range': {
        const expr = f.as === 'number' ? d.number(f.field) : d.instant(f.field)
        if (f.after !== undefined) sql += ` AND ${expr} > ${p(f.after)}`
        if (f.before !== undefined) sql += ` AND ${expr} < ${p(f.before)}`
        // Without bounds it still asks for the field, as a range with them does.
        if (f.after === undefined && f.before === undefined) sql += ` AND ${expr} IS NOT NULL`
        break
      }
    }
  }
  return { sql, values }
}

/** The expression a filter on this field compares, the one its index must hold. */
const expression = (f: IndexedField, d: Dialect): string => (f.as === 'number' ? d.number(f.field) : f.as === 'date-time' ? d.instant(f.field) : d.text(f.field))

/**
 * `CREATE INDEX IF NOT EXISTS` for one field, shared by every type with a field of that name:
 * the list's own columns around the field's expression, so a filtered page is read in order.
 */
export const indexSql = (f: IndexedField, d: Dialect): string =>
  `CREATE INDEX IF NOT EXISTS resources_by_${f.as.replace('-', '_')}_${f.field} ON resources (type, tenant, (${expression(f, d)}), seq)`

/**
 * The keyset condition and order of a page: by `seq`, or by a field then `seq`, the page
 * starting after the row whose `seq` the cursor holds (its value read back in the same query).
 */
export function orderSql(sort: Sort | undefined, after: number, d: Dialect, n: number): { where: string; order: string; values: unknown[] } {
  if (sort === undefined) return { where: ` AND seq > ${d.param(n)}`, order: 'ORDER BY seq', values: [after] }
  const expr = expression({ field: sort.field, as: sort.as }, d)
  const direction = sort.descending ? 'DESC' : 'ASC'
  const order = `ORDER BY ${expr} ${direction}, seq ${direction}`
  if (after === 0) return { where: '', order, values: [] }
  const where = ` AND (${expr}, seq) ${sort.descending ? '<' : '>'} ((SELECT ${expr} FROM resources WHERE seq = ${d.param(n)}), ${d.param(n + 1)})`
  return { where, order, values: [after, after] }
}
