import { urlKey as urlKeyOf } from '../src/fsm/url-key.ts'
import { assertNever, type CollectionView, type Representor, type ResourceView, type View } from './types.ts'

// Written as text rather than built as objects and stringified: the keys vary with the
// state, and objects with varying keys are slow to build and to serialise. Keys are
// quoted once per name; values are JSON text from JSON.stringify or, for strings that
// need no escapes, in plain quotes (`jsonString`).
const urlKeys = new Map<string, string>()
const urlKey = (name: string): string => {
  let key = urlKeys.get(name)
  if (key === undefined) {
    key = `${JSON.stringify(urlKeyOf(name))}:`
    if (urlKeys.size >= 1024) urlKeys.clear()
    urlKeys.set(name, key)
  }
  return key
}

// Printable ASCII but `"` and `\`: such a string's JSON text is itself in quotes.
const plain = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/
/** A string as JSON text, without JSON.stringify for the URLs and names that need no escapes. */
const jsonString = (s: string): string => (plain.test(s) ? `"${s}"` : JSON.stringify(s))

/** `data` with the state under its field name, which comes last unless the data already holds that name. */
function dataJson(view: ResourceView): string {
  if (Object.hasOwn(view.data, view.stateField)) return JSON.stringify({ ...view.data, [view.stateField]: view.state })
  const state = `${jsonString(view.stateField)}:${jsonString(view.state)}`
  const data = JSON.stringify(view.data)
  return data === '{}' ? `{${state}}` : `${data.slice(0, -1)},${state}}`
}

function resourceJson(view: ResourceView): string {
  let out = `{"url":${jsonString(view.url)},"data":${dataJson(view)}`
  for (const a of view.actions) out += `,${urlKey(a.name)}${jsonString(a.href)}`
  for (const l of view.links) if (l.rel !== 'self' && l.rel !== 'describedby') out += `,${urlKey(l.rel)}${jsonString(l.href)}`
  return `${out}}`
}

function collectionJson(view: CollectionView): string {
  let out = `{"url":${jsonString(view.url)},"items":[${view.items.map(resourceJson).join(',')}]`
  if (view.next !== undefined) out += `,"next_url":${jsonString(view.next)}`
  if (view.create !== undefined) out += `,"create_url":${jsonString(view.create.href)}`
  // An RFC 6570 template, the one `*_url` a client expands before following.
  if (view.search !== undefined) out += `,"search_url":${jsonString(view.search.template)}`
  return `${out}}`
}

/** RESTful JSON: `data` plus one `*_url` per legal action and navigation link. */
export const restfulJson: Representor = {
  mediaType: 'application/json',
  code: 'j',
  contract: 'restful-json',
  render(view: View): string {
    switch (view.kind) {
      case 'resource':
        return resourceJson(view)
      case 'collection':
        return collectionJson(view)
      case 'history':
        return JSON.stringify({ url: view.url, resource_url: view.resource, items: view.entries, ...(view.next !== undefined && { next_url: view.next }) })
      case 'entry': {
        const body: Record<string, unknown> = { url: view.url }
        for (const l of view.links) body[urlKeyOf(l.rel)] = l.href
        return JSON.stringify(body)
      }
      default:
        return assertNever(view)
    }
  },
}
