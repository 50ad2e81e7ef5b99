import { problemOf, ProblemError } from './problem-error.ts'
import { readResponse } from './read.ts'
import type { ActionInfo, Format, Reading } from './types.ts'

/** How the client talks to the server. */
export interface ClientOptions {
  /** A bearer token sent with every request. */
  readonly token?: string
  /** The representation to ask for; RESTful JSON by default. */
  readonly accept?: Format
  /** Replaces the global `fetch` (to observe or record every exchange). */
  readonly fetch?: typeof fetch
}

/** Per-request choices for `act`. */
export interface ActOptions {
  /** The `If-Match` to send: the resource's ETag by default, `false` for none. */
  readonly ifMatch?: string | false
  /** The `Idempotency-Key` to send: a fresh one by default. */
  readonly idempotencyKey?: string
}

/** One request beyond method and URL. */
export interface RequestOptions {
  readonly body?: { readonly type: string; readonly text: string }
  readonly headers?: Readonly<Record<string, string>>
  /** The resource an action changes, fetched when the answer is 204 No Content. */
  readonly actedOn?: string
}

/** A link-following client: it knows the entry point and nothing else. */
export class HypermediaClient {
  readonly accept: Format
  readonly #token: string | undefined
  readonly #fetch: typeof fetch

  constructor(options: ClientOptions = {}) {
    this.accept = options.accept ?? 'application/json'
    this.#token = options.token
    this.#fetch = options.fetch ?? fetch
  }

  /** Fetches a URL with GET and reads it. */
  open(url: string): Promise<Resource> {
    return this.request('GET', url)
  }

  /**
   * Sends one request and reads the answer, following a 201 `Location` or a 3xx `Location`
   * with GET, and answering a 204 with the resource acted on; a refusal throws a `ProblemError`.
   */
  async request(method: string, url: string, o: RequestOptions = {}): Promise<Resource> {
    const { body, headers = {} } = o
    const res = await this.#fetch(url, {
      method,
      redirect: 'manual',
      headers: { accept: this.accept, ...(this.#token !== undefined && { authorization: `Bearer ${this.#token}` }), ...(body !== undefined && { 'content-type': body.type }), ...headers },
      ...(body !== undefined && { body: body.text }),
    })
    const text = method === 'HEAD' ? '' : await res.text()
    const type = res.headers.get('content-type') ?? ''
    if (res.status >= 400) throw new ProblemError(res.status, problemOf(res.status, res.statusText, type, text), method, url)
    const location = res.headers.get('location')
    if (location !== null && (res.status === 201 || (res.status >= 300 && res.status < 400))) return this.open(new URL(location, url).href)
    if (res.status === 204) return this.open(o.actedOn ?? url)
    const here = new URL(res.headers.get('content-location') ?? url, url).href
    return new Resource(this, here, res.status, res.headers, text, readResponse(type, text, here, res.headers.get('link')))
  }
}

/** One representation the client holds: its data, links, actions and ETag. */
export class Resource {
  readonly data: Readonly<Record<string, unknown>>
  readonly links: Readonly<Record<string, string>>
  readonly actions: Readonly<Record<string, ActionInfo>>
  readonly items: readonly string[]
  readonly etag: string | undefined

  constructor(readonly client: HypermediaClient, readonly url: string, readonly status: number, readonly headers: Headers, readonly body: string, reading: Reading) {
    this.data = reading.data
    this.links = reading.links
    this.actions = reading.actions
    this.items = reading.items
    this.etag = headers.get('etag') ?? undefined
  }

  /** GETs the link of that name. */
  follow(name: string): Promise<Resource> {
    const href = this.links[name]
    if (href === undefined) throw new Error(`no link "${name}" here; links: ${Object.keys(this.links).join(', ') || 'none'}`)
    return this.client.open(href)
  }

  /** Fetches this resource again. */
  refresh(): Promise<Resource> {
    return this.client.open(this.url)
  }

  /** Takes the action of that name with `input`, sent the way the action asks. */
  act(name: string, input: Readonly<Record<string, unknown>> = {}, options: ActOptions = {}): Promise<Resource> {
    const action = this.actions[name]
    if (action === undefined) throw new Error(`no action "${name}" here; actions: ${Object.keys(this.actions).join(', ') || 'none'}`)
    // A POST to this very URL creates a new member: this representation's ETag is no precondition for it.
    // Nor is a weak ETag: If-Match compares strongly, so a weak one could never match (RFC 9110 §13.1.1).
    const ifMatch = options.ifMatch ?? (action.href === this.url || this.etag?.startsWith('W/') === true ? undefined : this.etag)
    const headers: Record<string, string> = { 'idempotency-key': options.idempotencyKey ?? crypto.randomUUID(), ...(ifMatch !== false && ifMatch !== undefined && { 'if-match': ifMatch }) }
    if (action.method === 'GET') {
      const url = new URL(action.href)
      // A list is sent as the name repeated (`status=a&status=b`), as forms and exploded templates do.
      for (const [k, v] of Object.entries(input)) {
        url.searchParams.delete(k)
        for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== '') url.searchParams.append(k, String(one))
      }
      return this.client.request('GET', url.href)
    }
    return this.client.request(action.method, action.href, { body: encode(action, input), headers, actedOn: this.url })
  }
}

/** The body for an action: hidden fields sent back as given, then the caller's input. */
export function encode(action: ActionInfo, input: Readonly<Record<string, unknown>>): { type: string; text: string } {
  const hidden = Object.fromEntries((action.fields ?? []).filter((f) => f.type === 'hidden' && f.value !== undefined).map((f) => [f.name, f.value]))
  if (/^application\/x-www-form-urlencoded/i.test(action.contentType)) {
    const form = new URLSearchParams(hidden as Record<string, string>)
    for (const [k, v] of Object.entries(input)) if (v !== undefined) form.set(k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))
    return { type: 'application/x-www-form-urlencoded', text: form.toString() }
  }
  // Underscored hidden fields (`_if_match`) stand in for headers a form cannot set; JSON requests send the headers.
  const own = Object.fromEntries(Object.entries(hidden).filter(([k]) => !k.startsWith('_')))
  return { type: action.contentType, text: JSON.stringify({ ...own, ...input }) }
}
