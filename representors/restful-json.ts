import { assertNever, linkKey, type CollectionView, type Representor, type ResourceView, type View } from './types.ts'

function resourceBody(view: ResourceView): Record<string, unknown> {
  const body: Record<string, unknown> = { url: view.url, data: { ...view.data, [view.stateField]: view.state } }
  for (const a of view.actions) body[`${linkKey(a.name)}_url`] = a.href
  for (const l of view.links) if (l.rel !== 'self' && l.rel !== 'describedby') body[`${linkKey(l.rel)}_url`] = l.href
  return body
}

function collectionBody(view: CollectionView): Record<string, unknown> {
  const body: Record<string, unknown> = { url: view.url, items: view.items.map(resourceBody) }
  if (view.next !== undefined) body.next_url = view.next
  if (view.create !== undefined) body.create_url = view.create.href
  return body
}

/** RESTful JSON: `data` plus one `*_url` per legal action and navigation link. */
export const restfulJson: Representor = {
  mediaType: 'application/json',
  code: 'j',
  contract: 'restful-json',
  render(view: View): string {
    switch (view.kind) {
      case 'resource':
        return JSON.stringify(resourceBody(view))
      case 'collection':
        return JSON.stringify(collectionBody(view))
      case 'history':
        return JSON.stringify({ url: view.url, resource_url: view.resource, items: view.entries })
      case 'entry': {
        const body: Record<string, unknown> = { url: view.url }
        for (const l of view.links) body[`${linkKey(l.rel)}_url`] = l.href
        return JSON.stringify(body)
      }
      default:
        return assertNever(view)
    }
  },
}
