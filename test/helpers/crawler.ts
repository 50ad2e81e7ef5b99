import { HypermediaClient, type ActionInfo, type Format, type MachineJson, type Resource } from '../../src/index.ts'
import { checkResponse } from './contracts.ts'
import { fill, schemaIds } from './crawler-inputs.ts'

/** One collection to crawl: the entry links that lead to it and to its machine, and who acts on it. */
export interface CrawlTarget {
  readonly collection: string
  readonly machine: string
  /** Demo user ids; the first who may create does. */
  readonly users: readonly string[]
  /** The `$id` of the create input, for formats whose create affordance names no schema. */
  readonly createInput?: string
}

export interface CrawlOptions {
  readonly entry: string
  readonly accept: Format
  readonly tokens: Readonly<Record<string, string>>
  readonly targets: readonly CrawlTarget[]
  /** A valid input for the schema with this `$id`, when one is known. */
  readonly exampleFor: (schemaId: string) => Record<string, unknown> | undefined
}

/** What the crawl reached, per machine. */
export interface Coverage {
  readonly machine: string
  readonly states: { readonly reached: readonly string[]; readonly total: number }
  readonly edges: { readonly taken: readonly string[]; readonly total: number }
  readonly nonEdges: { readonly refused: readonly string[]; readonly total: number }
  /** Edges of the state that one of the users was not offered, each refused to that user. */
  readonly withheldRefused: number
  readonly requests: number
}

interface Step {
  readonly action: string
  readonly user: string
}

/** A fetch that passes every response through the contracts, counting requests. */
export function checkedFetch(counter: { n: number }): typeof fetch {
  return async (input, init) => {
    counter.n++
    const res = await fetch(input, init)
    const text = await res.clone().text()
    const method = init?.method ?? 'GET'
    let json: unknown
    if (/json/.test(res.headers.get('content-type') ?? '') && text !== '') json = JSON.parse(text)
    checkResponse(method, new URL(String(input)).pathname, { status: res.status, headers: res.headers, text, json })
    return res
  }
}

/** Reads the state from the data: the one value that names a state of the machine. */
export function stateOf(r: Resource, machine: MachineJson): string {
  const norm = (v: string): string => v.trim().toLowerCase().replaceAll(/[\s-]+/g, '_')
  for (const v of Object.values(r.data)) if (typeof v === 'string' && machine.states.includes(norm(v))) return norm(v)
  throw new Error(`${r.url}: no state of ${machine.name} in ${JSON.stringify(r.data)}`)
}

/**
 * Starting from the entry point, reaches every state of each target's machine by following
 * links and taking advertised actions; checks that every advertised action succeeds and every
 * other action of the machine is refused without effect.
 */
export async function crawl(o: CrawlOptions): Promise<Coverage[]> {
  const counter = { n: 0 }
  const fetcher = checkedFetch(counter)
  const clients = new Map(Object.entries(o.tokens).map(([user, token]) => [user, new HypermediaClient({ token, accept: o.accept, fetch: fetcher })]))
  const client = (user: string): HypermediaClient => clients.get(user) ?? (() => { throw new Error(`no token for ${user}`) })()
  const coverage: Coverage[] = []
  for (const target of o.targets) {
    const before = counter.n
    const entry = await client(target.users[0] ?? '').open(o.entry)
    const machineUrl = entry.links[target.machine]
    if (machineUrl === undefined) throw new Error(`the entry point has no "${target.machine}" link: ${Object.keys(entry.links).join(', ')}`)
    const machine = (await (await fetcher(machineUrl, { headers: { accept: 'application/json' } })).json()) as MachineJson
    const crawler = new MachineCrawler(o, target, machine, client, fetcher)
    await crawler.run()
    coverage.push(crawler.coverage(counter.n - before))
  }
  return coverage
}

class MachineCrawler {
  readonly reached = new Set<string>()
  readonly taken = new Set<string>()
  readonly refused = new Set<string>()
  withheld = 0

  constructor(readonly o: CrawlOptions, readonly target: CrawlTarget, readonly machine: MachineJson, readonly client: (user: string) => HypermediaClient, readonly fetcher: typeof fetch) {}

  async run(): Promise<void> {
    const queue: Step[][] = [[]]
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const url = await this.materialize(path)
      const state = stateOf(await this.client(this.target.users[0] ?? '').open(url), this.machine)
      if (this.reached.has(state)) continue
      this.reached.add(state)
      for (const user of this.target.users) {
        const here = await this.client(user).open(url)
        const offered = this.machine.actions.map((a) => a.name).filter((n) => n in here.actions)
        for (const action of this.machine.actions) if (!offered.includes(action.name)) await this.refuse(here, user, state, action.name)
        for (const action of offered) {
          const next = await this.take(path, user, action, state)
          if (!this.reached.has(next)) queue.push([...path, { action, user }])
        }
      }
    }
  }

  /** Creates a resource and replays `path` on it, through links and advertised actions only. */
  async materialize(path: readonly Step[]): Promise<string> {
    let r = await this.create()
    for (const step of path) r = await (await this.client(step.user).open(r.url)).act(step.action, this.inputFor(r.actions[step.action], step.action))
    return r.url
  }

  async create(): Promise<Resource> {
    for (const user of this.target.users) {
      const collection = await (await this.client(user).open(this.o.entry)).follow(this.target.collection)
      const name = 'create' in collection.actions ? 'create' : Object.keys(collection.actions).find((n) => collection.actions[n]?.href === collection.url && collection.actions[n]?.method === 'POST')
      if (name === undefined) continue
      const schemaUrl = collection.links.describedby
      const ids = schemaUrl === undefined ? [] : schemaIds(await (await this.fetcher(schemaUrl)).json())
      const example = [...ids, ...(this.target.createInput === undefined ? [] : [this.target.createInput])].map(this.o.exampleFor).find((e) => e !== undefined)
      return collection.act(name, fill(collection.actions[name]?.fields, example))
    }
    throw new Error(`none of ${this.target.users.join(', ')} is offered a way to create in ${this.target.collection}`)
  }

  inputFor(action: ActionInfo | undefined, name: string): Record<string, unknown> {
    const id = this.machine.actions.find((a) => a.name === name)?.input
    return fill(action?.fields, id === undefined ? undefined : this.o.exampleFor(id))
  }

  /** Takes an advertised action on a fresh copy of the resource: it must succeed and land where the machine says. */
  async take(path: readonly Step[], user: string, action: string, state: string): Promise<string> {
    const copy = await this.client(user).open(await this.materialize(path))
    if (!(action in copy.actions)) throw new Error(`${action} was offered to ${user} in ${state} on one resource but not on its twin`)
    const after = await copy.act(action, this.inputFor(copy.actions[action], action))
    const next = stateOf(after, this.machine)
    const edge = this.machine.edges.find((e) => e.from === state && e.action === action)
    if (edge?.to !== next) throw new Error(`${action} from ${state} by ${user} led to ${next}; the machine says ${edge?.to ?? 'no such edge'}`)
    this.taken.add(`${state} -${action}-> ${next}`)
    return next
  }

  /** An action not offered: refused with 409 or 403, and the resource unchanged. */
  async refuse(here: Resource, user: string, state: string, action: string): Promise<void> {
    const token = this.o.tokens[user] ?? ''
    // The negative check may build the action URL, and only from the resource URL.
    const res = await this.fetcher(`${here.url}/${action}`, {
      method: 'POST',
      headers: { accept: this.o.accept, authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': here.etag ?? '*' },
      body: JSON.stringify(this.inputFor(undefined, action)),
    })
    await res.arrayBuffer()
    if (res.status !== 409 && res.status !== 403) throw new Error(`${action} not offered to ${user} in ${state}, yet answered ${res.status}`)
    const now = await here.refresh()
    if (now.etag !== here.etag) throw new Error(`refused ${action} changed ${here.url}: ETag ${here.etag} → ${now.etag}`)
    if (this.machine.edges.some((e) => e.from === state && e.action === action)) this.withheld++
    else this.refused.add(`${state} ×${action}`)
  }

  coverage(requests: number): Coverage {
    const edges = this.machine.edges.map((e) => `${e.from} -${e.action}-> ${e.to}`)
    const nonEdges = this.machine.states.flatMap((s) => this.machine.actions.filter((a) => !a.from.includes(s)).map((a) => `${s} ×${a.name}`))
    return {
      machine: this.machine.name,
      states: { reached: this.machine.states.filter((s) => this.reached.has(s)), total: this.machine.states.length },
      edges: { taken: edges.filter((e) => this.taken.has(e)), total: edges.length },
      nonEdges: { refused: nonEdges.filter((n) => this.refused.has(n)), total: nonEdges.length },
      withheldRefused: this.withheld,
      requests,
    }
  }
}

/** One line per machine: the coverage in numbers. */
export const formatCoverage = (c: Coverage): string =>
  `${c.machine}: states ${c.states.reached.length}/${c.states.total}, edges ${c.edges.taken.length}/${c.edges.total}, non-edges refused ${c.nonEdges.refused.length}/${c.nonEdges.total}, withheld edges refused ${c.withheldRefused}, ${c.requests} requests`
