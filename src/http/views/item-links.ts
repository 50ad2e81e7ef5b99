import type { Action } from '../../fsm/types.ts'
import type { Representor } from '../../../representors/types.ts'
import type { ResourceRow } from '../../store/types.ts'
import { withContract } from './contract-links.ts'
import type { TypeEntry } from '../graph/exchange.ts'
import { linkHeader } from '../protocol/link-header.ts'
import { actionMask, resourceView } from './views.ts'

// Marks where the id goes in a template; ids are UUIDs, type and action names are declared words.
const HOLE = '\u0000'

/**
 * The Link field of one resource. Given its type, its format and the actions shown, it
 * depends on the resource only through the id in its URLs: each such combination's field
 * is built once per app, with a hole for the id, and filled per request.
 */
export function itemLinkField(base: string, entry: TypeEntry, representor: Representor | undefined, row: ResourceRow, actions: readonly Action[]): string {
  const templates = entry.linkTemplates
  const key = `${representor?.code ?? ''}${HOLE}${actionMask(entry.type, actions)}`
  let parts = templates.get(key)
  if (parts === undefined) {
    const view = withContract(base, resourceView(base, entry.type, entry.compiled, { ...row, id: HOLE }, actions), entry.type.name, representor)
    parts = linkHeader(view.links, view.actions).split(HOLE)
    if (templates.size >= 4096) templates.clear()
    templates.set(key, parts)
  }
  return parts.join(row.id)
}
