import { defineMachine, defineResource, loadSchema } from '../index.ts'

const schemas = new URL('../../schemas/', import.meta.url)
const readers = ['reader', 'admin']

/** A reading list: queued → read or archived, and back. */
export const bookmarkMachine = defineMachine({
  name: 'bookmark',
  initial: 'queued',
  states: ['queued', 'read', 'archived'],
  actions: {
    read: { from: 'queued', to: 'read', roles: readers, title: 'Mark as read' },
    archive: { from: 'queued', to: 'archived', roles: readers, title: 'Archive' },
    queue: { from: 'archived', to: 'queued', roles: readers, title: 'Put back in the queue' },
    reread: { from: 'read', to: 'queued', roles: readers, title: 'Read again' },
  },
})

export const bookmark = defineResource({
  name: 'bookmark',
  collection: 'bookmarks',
  schema: loadSchema(new URL('bookmark.json', schemas)),
  machine: bookmarkMachine,
  stateField: 'read_status',
  // Readers see and act on their own bookmarks; an admin on every bookmark of the tenant.
  policy: { view: readers, create: readers, ownerOnly: { except: ['admin'] } },
  label: (data) => String(data.title ?? 'bookmark'),
  examples: [
    { bookmark_url: 'https://example.org/articles/hypermedia', title: 'Hypermedia as the engine of application state' },
    { bookmark_url: 'https://example.org/articles/state-machines', title: 'State machines in practice' },
    { bookmark_url: 'https://example.org/articles/http-caching', title: 'HTTP caching, conditional requests' },
  ],
})
