import { edgesOf, type Edge, type Machine, type ResourceType } from '../../src/index.ts'
import type { TestServer } from './server.ts'

/** The shortest list of edges from the initial state to `state`. */
export function pathTo(machine: Machine, state: string): Edge[] {
  const edges = edgesOf(machine)
  const back = new Map<string, Edge | null>([[machine.initial, null]])
  const queue = [machine.initial]
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    for (const e of edges) {
      if (e.from !== s || back.has(e.to)) continue
      back.set(e.to, e)
      queue.push(e.to)
    }
  }
  const path: Edge[] = []
  for (let e = back.get(state); e != null; e = back.get(e.from)) path.unshift(e)
  return path
}

/** A valid input for an action (or create), from the type's examples. */
export const inputFor = (type: ResourceType, action: string): Record<string, unknown> =>
  ({ ...(action === 'create' ? type.examples?.[0] : type.exampleInputs?.[action]) })

/** The `*_url` keys a RESTful JSON resource carries for its actions. */
export const actionKeys = (body: Record<string, unknown>, machine: Machine): string[] =>
  machine.actions.map((a) => `${a.name.replaceAll('-', '_')}_url`).filter((k) => k in body).sort()

/** Creates a resource as `user` and drives it to `state` through the API; returns its URL and ETag. */
export async function resourceIn(server: TestServer, type: ResourceType, state: string, user: string): Promise<{ url: string; etag: string }> {
  const created = await server.request('POST', `/${type.collection}`, { as: user, json: inputFor(type, 'create') })
  if (created.status !== 201) throw new Error(`create ${type.name}: ${created.status} ${created.text}`)
  const url = created.headers.get('location') as string
  let etag = created.headers.get('etag') as string
  for (const e of pathTo(type.machine, state)) {
    const r = await server.request('POST', `${url}/${e.action}`, { as: user, json: inputFor(type, e.action), headers: { 'if-match': etag } })
    if (r.status !== 200) throw new Error(`${e.action} to reach ${state}: ${r.status} ${r.text}`)
    etag = r.headers.get('etag') as string
  }
  return { url, etag }
}
