import { createHash } from 'node:crypto'
import type { Action, Principal } from '../../fsm/types.ts'
import type { ResourceType } from '../../resource.ts'
import type { HistoryRow, ResourceRow } from '../../store/types.ts'
import type { Affordance, CollectionView, HistoryEntry, HistoryView, NavLink, ResourceView, Schema } from '../../../representors/types.ts'
import type { CompiledType } from '../schemas.ts'
import { offeredTo } from './field-options.ts'
import { dataSchemaFile, schemaHref } from '../../contracts/schema-files.ts'
import { searchAffordance } from '../../search/advertise.ts'

// Every path below starts with `base`, the path the app is mounted at ('' at the root).

/** The URL of a collection. */
export const collectionUrl = (base: string, type: ResourceType): string => `${base}/${type.collection}`

/** The URL of one resource. */
export const itemUrl = (base: string, type: ResourceType, id: string): string => `${base}/${type.collection}/${id}`

function resourceLinks(base: string, type: ResourceType, id: string): NavLink[] {
  const self = itemUrl(base, type, id)
  return [
    { rel: 'self', href: self },
    { rel: 'collection', href: collectionUrl(base, type), title: type.collection },
    { rel: 'history', href: `${self}/history`, title: 'history' },
    { rel: 'describedby', href: schemaHref(dataSchemaFile(type), base), type: 'application/schema+json' },
  ]
}

function affordance(base: string, type: ResourceType, compiled: CompiledType, action: Action, id: string, principal?: Principal): Affordance {
  const input: Schema | undefined = action.input === undefined ? undefined : compiled.inputSchemas.get(action.name)
  const options = offeredTo(type, action.name, principal)
  return {
    name: action.name,
    title: action.title ?? action.name.replaceAll('-', ' '),
    method: 'POST',
    href: `${itemUrl(base, type, id)}/${action.name}`,
    contentType: 'application/json',
    ...(input !== undefined && { input }),
    ...(options !== undefined && { options }),
  }
}

/** The view of one resource; with a caller, its forms offer that caller's choices. */
export function resourceView(base: string, type: ResourceType, compiled: CompiledType, row: ResourceRow, actions: readonly Action[], history?: readonly HistoryRow[], principal?: Principal): ResourceView {
  return {
    kind: 'resource',
    type: type.name,
    url: itemUrl(base, type, row.id),
    id: row.id,
    title: type.label?.(row.data) ?? `${type.name} ${row.id.slice(0, 8)}`,
    state: row.state,
    stateField: type.stateField,
    data: row.data,
    version: row.version,
    actions: actions.map((a) => affordance(base, type, compiled, a, row.id, principal)),
    links: resourceLinks(base, type, row.id),
    ...(history !== undefined && { history: history.map(historyEntry), diagram: `${machineUrl(base, type)}?state=${encodeURIComponent(row.state)}` }),
  }
}

/** The URL of a type's machine. */
export const machineUrl = (base: string, type: ResourceType): string => `${base}/machines/${type.machine.name}`

const historyEntry = (h: HistoryRow): HistoryEntry => ({ ...h, at: new Date(h.at).toISOString() })

/** One page of a resource's log; `next` links the following page when there is one. */
export function historyView(base: string, type: ResourceType, row: ResourceRow, rows: readonly HistoryRow[], next?: string): HistoryView {
  const url = itemUrl(base, type, row.id)
  return {
    kind: 'history',
    type: type.name,
    url: `${url}/history`,
    resource: url,
    title: `History of ${type.label?.(row.data) ?? `${type.name} ${row.id.slice(0, 8)}`}`,
    entries: rows.map(historyEntry),
    links: [{ rel: 'self', href: `${url}/history` }, { rel: 'up', href: url }, ...(next === undefined ? [] : [{ rel: 'next', href: next }])],
    ...(next !== undefined && { next }),
  }
}

export function collectionView(base: string, type: ResourceType, compiled: CompiledType, items: readonly ResourceView[], next: string | undefined, canCreate: boolean, principal?: Principal, filters?: string): CollectionView {
  const url = collectionUrl(base, type)
  const options = offeredTo(type, 'create', principal)
  const create: Affordance = {
    name: 'create',
    title: `create ${type.name}`,
    method: 'POST',
    href: url,
    contentType: 'application/json',
    input: compiled.createSchema,
    ...(options !== undefined && { options }),
  }
  return {
    kind: 'collection',
    type: type.name,
    url,
    title: type.collection,
    items,
    links: [{ rel: 'self', href: url }, { rel: 'up', href: `${base}/` }, { rel: 'describedby', href: schemaHref(dataSchemaFile(type), base), type: 'application/schema+json' }, ...(next === undefined ? [] : [{ rel: 'next', href: next }])],
    ...(canCreate && { create }),
    // Only callers who may list get a page at all: the search goes with it.
    search: searchAffordance(url, type.collection, type.search, filters),
    ...(next !== undefined && { next }),
  }
}

// A transition with roles of its own is a copy of its action, found by name.
const indexOf = (all: readonly Action[], a: Action): number => {
  const i = all.indexOf(a)
  return i >= 0 ? i : all.findIndex((b) => b.name === a.name)
}

/** Which of its machine's actions a list holds, as a bit set in base 36. */
export function actionMask(type: ResourceType, actions: readonly Action[]): string {
  const all = type.machine.actions
  if (all.length <= 30) {
    let mask = 0
    for (const a of actions) mask |= 1 << indexOf(all, a)
    return mask.toString(36)
  }
  // Beyond 30 actions a number's bit operations would wrap around.
  let mask = 0n
  for (const a of actions) mask |= 1n << BigInt(indexOf(all, a))
  return mask.toString(36)
}

/** Strong ETag of one resource representation: version, format and which actions it shows (RFC 9110 §8.8.3). */
export const resourceEtag = (row: ResourceRow, formatCode: string, type: ResourceType, actions: readonly Action[]): string =>
  `"${row.version}-${formatCode}${actionMask(type, actions)}"`

/** The version an entity tag of ours was made from, or undefined when it is not one of ours. */
export function versionOfTag(opaque: string): number | undefined {
  const m = /^"(\d{1,15})(?:-[a-z0-9]*)?"$/.exec(opaque)
  return m?.[1] === undefined ? undefined : Number(m[1])
}

/** Strong ETag of a body: a digest, for representations without a version of their own. */
export const digestEtag = (body: string): string => `"d${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`
