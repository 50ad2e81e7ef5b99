import type autocannon from 'autocannon'

/** The media types a scenario can ask for. */
const mediaTypes = { json: 'application/json', hal: 'application/hal+json', siren: 'application/vnd.siren+json' } as const
export type Format = keyof typeof mediaTypes

/** Which resources a server's scenarios may use, and what the client knows of each. */
export interface Pool {
  readonly token: string
  /** Resources only ever read (so their ETags stay valid). */
  readonly readIds: readonly string[]
  /** Current entity tags of some read ids, per format, for the 304 scenario. */
  readonly etags: Map<Format, ReadonlyMap<string, string>>
  /** Resources free to transition now, with the version and state the client saw last. */
  readonly idle: Fifo<IdleResource>
  /** The `after` cursor of the deepest collection page. */
  readonly deepCursor: number
}

interface IdleResource { readonly id: string; readonly version: number; readonly state: string }

/**
 * A first-in, first-out queue with O(1) `shift`: `Array#shift` moves every item, which on
 * 100,000 idle resources cost the load generator more per request than the servers spend.
 */
class Fifo<T> {
  #items: T[]
  #head = 0
  constructor(items: readonly T[]) {
    this.#items = [...items]
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined
    const item = this.#items[this.#head++]
    // Drop the consumed prefix now and then, so the array does not grow for ever.
    if (this.#head >= 4096 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    return item
  }

  push(item: T): void {
    this.#items.push(item)
  }
}

/** What a scenario needs to tell autocannon, and the status every response must have. */
export interface Plan {
  readonly expected: number
  readonly options: Omit<autocannon.Options, 'url' | 'connections' | 'duration'>
}

export type ScenarioKind = 'get' | 'not-modified' | 'post' | 'first-page' | 'deep-page'

const headerOf = (headers: Record<string, string | string[]>, name: string): string | undefined => {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v
  return undefined
}

/** Builds the autocannon requests of one scenario over a pool; `unexpected` counts responses with another status. */
export function plan(kind: ScenarioKind, format: Format, pool: Pool, unexpected: { count: number }): Plan {
  const headers = { authorization: `Bearer ${pool.token}`, accept: mediaTypes[format] }
  const check = (expected: number) => (status: number): void => {
    if (status !== expected) unexpected.count++
  }
  switch (kind) {
    // Reads go through a fixed, shuffled list of requests, which autocannon builds once: building
    // each request anew (setupRequest) made the load generator, not the server, set the pace.
    case 'get':
      return { expected: 200, options: { headers, requests: pool.readIds.map((id) => ({ path: `/bookmarks/${id}`, onResponse: check(200) })) } }
    case 'not-modified': {
      const tags = [...(pool.etags.get(format) ?? new Map<string, string>())]
      return {
        expected: 304,
        options: { headers, requests: tags.map(([id, tag]) => ({ path: `/bookmarks/${id}`, headers: { ...headers, 'if-none-match': tag }, onResponse: check(304) })) },
      }
    }
    case 'first-page':
      return { expected: 200, options: { headers, requests: [{ path: '/bookmarks', onResponse: check(200) }] } }
    case 'deep-page':
      return { expected: 200, options: { headers, requests: [{ path: `/bookmarks?after=${pool.deepCursor}`, onResponse: check(200) }] } }
    case 'post':
      return { expected: 200, options: { headers: { ...headers, 'content-type': 'application/json' }, method: 'POST', body: '{}', requests: [transition(pool, unexpected)] } }
  }
}

/** What a transition request carries from its setup to its response. */
interface Carried { target?: IdleResource }

/**
 * One legal transition per request: take an idle resource, read it if queued or reread
 * it if read, with the version last seen in If-Match; learn the new version from the
 * ETag and put the resource back. A resource is never in flight twice.
 */
function transition(pool: Pool, unexpected: { count: number }): autocannon.Request {
  return {
    setupRequest(r, context) {
      const target = pool.idle.shift()
      if (target === undefined) throw new Error('the pool of idle resources ran dry')
      const carried: Carried = context
      carried.target = target
      const action = target.state === 'queued' ? 'read' : 'reread'
      return { ...r, path: `/bookmarks/${target.id}/${action}`, headers: { ...r.headers, 'if-match': `"${target.version}"` } }
    },
    onResponse(status, _body, context, headers) {
      const target = (context as Carried).target as IdleResource
      const version = /^"(\d+)/.exec(headerOf(headers as Record<string, string>, 'etag') ?? '')?.[1]
      if (status !== 200 || version === undefined) {
        // The resource's state is unknown now: leave it out of the pool.
        unexpected.count++
        return
      }
      pool.idle.push({ id: target.id, version: Number(version), state: target.state === 'queued' ? 'read' : 'queued' })
    },
  }
}

/**
 * What the client knows of one server's database before the runs, from a sample of its ids
 * (shuffled here, then split between readers and writers) and the `seq` of its last row; a
 * format the server answers 406 for is `unavailable` (on Affordance).
 */
export async function poolFor(server: { readonly name: string; readonly url: string }, token: string, sample: { ids: string[]; lastSeq: number }): Promise<{ pool: Pool; unavailable: Set<Format> }> {
  const { ids, lastSeq } = sample
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[ids[i], ids[j]] = [ids[j] as string, ids[i] as string]
  }
  const readIds = ids.slice(0, Math.min(2000, Math.ceil(ids.length / 2)))
  const idle = new Fifo(ids.slice(readIds.length).map((id) => ({ id, version: 1, state: 'queued' })))
  const etags = new Map<Format, Map<string, string>>()
  const unavailable = new Set<Format>()
  for (const format of Object.keys(mediaTypes) as Format[]) {
    const tags = new Map<string, string>()
    for (const id of readIds.slice(0, 200)) {
      const res = await fetch(`${server.url}/bookmarks/${id}`, { headers: { authorization: `Bearer ${token}`, accept: mediaTypes[format] } })
      await res.arrayBuffer()
      if (res.status === 406) break
      const tag = res.headers.get('etag')
      if (res.status !== 200) throw new Error(`${server.name}: GET /bookmarks/${id} answered ${res.status}`)
      if (tag !== null) tags.set(id, tag)
    }
    if (tags.size === 0 && server.name.startsWith('affordance')) unavailable.add(format)
    etags.set(format, tags)
  }
  return { pool: { token, readIds, etags, idle, deepCursor: Math.max(0, lastSeq - 20) }, unavailable }
}
