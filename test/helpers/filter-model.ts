import type { Filter, ResourceRow } from '../../src/store/types.ts'

/** The model's answer to one filter: what every store must agree with. */
function meetsOne(row: Pick<ResourceRow, 'state' | 'data'>, f: Filter): boolean {
  if (f.kind === 'state') return f.values.includes(row.state)
  const v = row.data[f.field]
  if (f.kind === 'equals') return typeof v === 'string' && f.values.includes(v)
  if (f.as === 'number') return typeof v === 'number' && (f.after === undefined || v > Number(f.after)) && (f.before === undefined || v < Number(f.before))
  if (typeof v !== 'string') return false
  const t = new Date(v).toISOString()
  return (f.after === undefined || t > String(f.after)) && (f.before === undefined || t < String(f.before))
}

/** Whether a row meets every filter. */
export const meets = (row: Pick<ResourceRow, 'state' | 'data'>, filters: readonly Filter[]): boolean => filters.every((f) => meetsOne(row, f))
