import type { CollectionView, NavLink, Representor } from '../../../representors/types.ts'
import { contractName } from '../../contracts/generate.ts'
import { schemaHref } from '../../contracts/schema-files.ts'

/**
 * Points `describedby` at the resource type's contract in the chosen format, when that
 * format has contracts; other formats keep the data schema.
 */
export function withContract<V extends { readonly links: readonly NavLink[] }>(base: string, view: V, type: string, representor: Representor | undefined): V {
  const format = representor?.contract
  if (format === undefined) return view
  const href = schemaHref(contractName(type, format), base)
  return { ...view, links: view.links.map((l) => (l.rel === 'describedby' ? { ...l, href } : l)) }
}

/** The same for a collection and every resource it embeds. */
export function collectionWithContract(base: string, view: CollectionView, representor: Representor | undefined): CollectionView {
  const linked = withContract(base, view, view.type, representor)
  return { ...linked, items: view.items.map((item) => withContract(base, item, item.type, representor)) }
}
