/** A JSON Schema object as representors read it. */
export type Schema = Readonly<Record<string, unknown>>

/** One value a field accepts, with the words a form shows for it. */
export interface Choice {
  readonly value: string | number
  readonly label?: string
}

/** An action the caller may take now: the only kind of link that changes state. */
export interface Affordance {
  readonly name: string
  readonly title: string
  readonly method: 'POST'
  readonly href: string
  readonly contentType: string
  /** The schema the request body must satisfy, when the action takes input. */
  readonly input?: Schema
  /** The only values some fields accept from this caller, by field name: what validation admits. */
  readonly options?: Readonly<Record<string, readonly Choice[]>>
}

/** A navigation link, always followed with GET. */
export interface NavLink {
  readonly rel: string
  readonly href: string
  readonly title?: string
  readonly type?: string
}

export interface HistoryEntry {
  readonly seq: number
  readonly action: string
  readonly from: string | null
  readonly to: string
  readonly input: unknown
  readonly actor: string | null
  readonly at: string
}

/** One resource: data, state, legal actions for this caller, navigation links. */
export interface ResourceView {
  readonly kind: 'resource'
  readonly type: string
  readonly url: string
  readonly id: string
  readonly title: string
  readonly state: string
  readonly stateField: string
  readonly data: Readonly<Record<string, unknown>>
  readonly version: number
  /** The ETag of this representation, when the view is rendered as one (a form sends it back as If-Match). */
  readonly etag?: string
  readonly actions: readonly Affordance[]
  readonly links: readonly NavLink[]
  /** The latest entries, shown by the HTML explorer; other formats link to the history instead. */
  readonly history?: readonly HistoryEntry[]
  readonly diagram?: string
}

/** One input of a search: a field's values (several at once when `multiple`), or one bound of a range. */
export interface SearchInput {
  readonly name: string
  readonly title: string
  readonly inputType: 'text' | 'number'
  readonly multiple: boolean
  readonly options?: readonly Choice[]
  /** An example of what the input takes, where its type alone does not say (a date-time's offset). */
  readonly placeholder?: string
}

/** The search of a collection, followed with GET: its RFC 6570 template and the inputs that fill it. */
export interface SearchAffordance {
  readonly title: string
  readonly href: string
  readonly template: string
  readonly inputs: readonly SearchInput[]
  /** The filters this page was listed by, as a query (`status=assigned&…`), when there are some. */
  readonly current?: string
}

export interface CollectionView {
  readonly kind: 'collection'
  readonly type: string
  readonly url: string
  readonly title: string
  readonly items: readonly ResourceView[]
  readonly links: readonly NavLink[]
  readonly create?: Affordance
  /** The filters this caller may list the collection by. */
  readonly search?: SearchAffordance
  readonly next?: string
}

export interface HistoryView {
  readonly kind: 'history'
  readonly type: string
  readonly url: string
  readonly resource: string
  readonly title: string
  readonly entries: readonly HistoryEntry[]
  readonly links: readonly NavLink[]
  /** The next page of the log, oldest first. */
  readonly next?: string
}

/** The entry point: links to every collection and machine. */
export interface EntryView {
  readonly kind: 'entry'
  readonly url: string
  readonly title: string
  readonly links: readonly NavLink[]
}

export type View = ResourceView | CollectionView | HistoryView | EntryView

/** What a representor needs beyond the view. */
export interface RenderContext {
  /** Origin used where a format requires absolute URLs (Siren). */
  readonly origin: string
  /** The path the app is mounted at (`/api`), '' at the root: the views' links already start with it, and a format's own links must too. */
  readonly base?: string
}

/** A pure function from a view to a body in one media type. */
export interface Representor {
  readonly mediaType: string
  /** One character that tells this format's ETags apart from the others'. */
  readonly code: string
  /** Whether resource views should carry their history (the HTML explorer shows it inline). */
  readonly embedsHistory?: boolean
  /** Name of this format's contract schemas (`/schemas/<type>-<contract>-contract.json`), when it has them. */
  readonly contract?: string
  render(view: View, context: RenderContext): string
}

export function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`)
}
