import { HypermediaClient, readResponse, type ActionInfo, type Format, type MachineJson, type Resource } from '../../src/index.ts'
import { checkedFetch, stateOf } from './crawler.ts'
import { fill, schemaIds } from './crawler-inputs.ts'
import { checkSearch } from './crawler-search.ts'

// The crawl as one caller sees the API: every link followed once per template, every action
// shown taken, every action hidden tried and refused. It knows no route and no role.

export interface CallerCrawl {
  /** The origin, followed by the path the app is mounted at, if any (`http://127.0.0.1:3000/api`). */
  readonly base: string
  readonly accept: Format
  /** A demo user id, or undefined for an anonymous caller. */
  readonly user: string | undefined
  readonly token: string | undefined
  /** Collection rel → machine rel, as the entry point names them, and the `$id` of its create input for formats whose form names none. */
  readonly machines: Readonly<Record<string, { readonly machine: string; readonly createInput: string }>>
  /** A valid input for a schema `$id`, for this caller (its tenant's clinicians). */
  readonly exampleFor: (schemaId: string) => Record<string, unknown> | undefined
  /** Items reached so far, by URL: the tenant of the caller who reached them, and one action of theirs. */
  readonly reached: Map<string, { readonly tenant: string; readonly action: string }>
  readonly tenant: string | undefined
  /** At most this many items of each collection are acted on. */
  readonly itemsPerCollection: number
}

export interface CallerReport {
  readonly followed: number
  readonly collections: readonly string[]
  readonly taken: readonly string[]
  readonly refused: number
  readonly created: number
  readonly foreignRefused: number
  /** Searches followed and checked against the list. */
  readonly searched: number
  readonly requests: number
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g
/** A link's template: ids and query values blanked, so that each kind of link is followed once. */
const templateOf = (href: string): string => {
  const u = new URL(href)
  return `${u.pathname.replaceAll(UUID, '{id}')}?${[...u.searchParams.keys()].sort().join('&')}`
}

/** Values the form offers win over the example: a form that lists choices lists the valid ones. */
function inputFor(action: ActionInfo | undefined, example: Record<string, unknown> | undefined): Record<string, unknown> {
  const input = fill(action?.fields, example)
  for (const f of action?.fields ?? []) {
    if (f.options !== undefined && f.options.length > 0 && !f.options.includes(String(input[f.name]))) input[f.name] = f.options[0]
  }
  return input
}

export async function crawlAsCaller(o: CallerCrawl): Promise<CallerReport> {
  const counter = { n: 0 }
  const fetcher = checkedFetch(counter)
  const auth: Record<string, string> = o.token === undefined ? {} : { authorization: `Bearer ${o.token}` }
  const client = new HypermediaClient({ accept: o.accept, fetch: fetcher, ...(o.token !== undefined && { token: o.token }) })
  const who = `${o.user ?? 'anonymous'} in ${o.accept}`
  const fail = (why: string): never => { throw new Error(`${who}: ${why}`) }
  const report = { followed: 0, collections: [] as string[], taken: [] as string[], refused: 0, created: 0, foreignRefused: 0, searched: 0 }

  // Links: every one shown, from the entry point on, once per template; none may be refused.
  const origin = new URL(o.base).origin
  const seen = new Set<string>()
  const queue = [`${o.base}/`]
  for (let href = queue.shift(); href !== undefined; href = queue.shift()) {
    const res = await fetcher(href, { headers: { accept: `${o.accept}, */*;q=0.1`, ...auth } })
    const text = await res.text()
    if (res.status >= 400) fail(`the link ${href} answered ${res.status}`)
    report.followed++
    const type = res.headers.get('content-type') ?? ''
    if (!type.startsWith(o.accept)) continue
    const reading = readResponse(type, text, href, res.headers.get('link'))
    for (const next of [...Object.values(reading.links), ...reading.items]) {
      if (new URL(next).origin !== origin) continue
      const t = templateOf(next)
      if (seen.has(t)) continue
      seen.add(t)
      queue.push(next)
    }
  }

  const entry = await client.open(`${o.base}/`)
  for (const [collection, { machine: machineRel, createInput }] of Object.entries(o.machines)) {
    const machineUrl = entry.links[machineRel] ?? fail(`no "${machineRel}" link on the entry point`)
    const machine = (await (await fetcher(machineUrl, { headers: { accept: 'application/json' } })).json()) as MachineJson
    const url = entry.links[collection]
    if (url === undefined) continue
    report.collections.push(collection)
    const list = await client.open(url)
    const create = 'create' in list.actions ? 'create' : Object.keys(list.actions).find((n) => list.actions[n]?.href === list.url && list.actions[n]?.method === 'POST')
    const items = list.items.slice(0, o.itemsPerCollection)
    if (create !== undefined) {
      const ids = list.links.describedby === undefined ? [] : schemaIds(await (await fetcher(list.links.describedby)).json())
      const example = [...ids, createInput].map(o.exampleFor).find((e) => e !== undefined)
      const created = await list.act(create, inputFor(list.actions[create], example))
      report.created++
      items.unshift(created.url)
    } else {
      const res = await fetcher(list.url, { method: 'POST', headers: { accept: o.accept, 'content-type': 'application/json', ...auth }, body: '{}' })
      await res.arrayBuffer()
      if (res.status !== 403) fail(`create was not offered in ${collection}, yet answered ${res.status}`)
    }
    const tried = new Set<string>()
    for (const item of items) {
      o.reached.set(item, { tenant: o.tenant ?? '', action: machine.actions[0]?.name ?? '' })
      await exercise(item, machine, tried)
    }
    report.searched += await checkSearch(client, list, fail)
  }

  // Resources of the other tenant: they do not exist for this caller, whatever the route.
  let foreign = 0
  for (const [url, { tenant, action }] of o.reached) {
    if (tenant === o.tenant || foreign >= 4) continue
    foreign++
    const get = await fetcher(url, { headers: { accept: o.accept, ...auth } })
    await get.arrayBuffer()
    const post = await fetcher(`${url}/${action}`, { method: 'POST', headers: { accept: o.accept, 'content-type': 'application/json', ...auth }, body: '{}' })
    await post.arrayBuffer()
    const expected = o.token === undefined ? 401 : 404
    if (get.status !== expected || post.status !== expected) fail(`${url} of another tenant answered GET ${get.status}, POST ${post.status}; expected ${expected}`)
    report.foreignRefused++
  }
  return { ...report, requests: counter.n }

  /** Walks one item as far as new actions take it: each shown action taken once per state, each hidden one refused. */
  async function exercise(url: string, machine: MachineJson, tried: Set<string>): Promise<void> {
    for (let step = 0; step < machine.states.length; step++) {
      const here = await client.open(url)
      const state = stateOf(here, machine)
      const offered = machine.actions.map((a) => a.name).filter((n) => n in here.actions)
      let refused = false
      for (const a of machine.actions) {
        if (offered.includes(a.name) || tried.has(`${state} ×${a.name}`)) continue
        tried.add(`${state} ×${a.name}`)
        await refuse(here, machine, state, a.name)
        refused = true
      }
      // One look after all the refusals: any of them that changed the resource changed its ETag.
      const now = refused ? await here.refresh() : here
      if (now.etag !== here.etag) fail(`a refused action changed ${here.url} in ${state}: ETag ${here.etag ?? ''} → ${now.etag ?? ''}`)
      const next = offered.find((n) => !tried.has(`${state} -${n}`))
      if (next === undefined) return
      tried.add(`${state} -${next}`)
      const input = machine.actions.find((a) => a.name === next)?.input
      const after = await here.act(next, inputFor(here.actions[next], input === undefined ? undefined : o.exampleFor(input)))
      const to = stateOf(after, machine)
      const edge = machine.edges.find((e) => e.from === state && e.action === next)
      if (edge?.to !== to) fail(`${next} from ${state} led to ${to}; the machine says ${edge?.to ?? 'no such edge'}`)
      report.taken.push(`${machine.name}: ${state} -${next}-> ${to}`)
    }
  }

  /** An action not shown: refused (409 state, 403 role or guard). */
  async function refuse(here: Resource, machine: MachineJson, state: string, action: string): Promise<void> {
    const input = machine.actions.find((a) => a.name === action)?.input
    const res = await fetcher(`${here.url}/${action}`, {
      method: 'POST',
      headers: { accept: o.accept, 'content-type': 'application/json', 'if-match': here.etag ?? '*', ...auth },
      body: JSON.stringify(input === undefined ? {} : (o.exampleFor(input) ?? {})),
    })
    await res.arrayBuffer()
    if (res.status !== 409 && res.status !== 403) fail(`${action} was not shown in ${state}, yet answered ${res.status}`)
    report.refused++
  }
}
