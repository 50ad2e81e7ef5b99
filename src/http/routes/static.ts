import { toDot, toJson, toMermaid } from '../../fsm/graph.ts'
import type { NavLink } from '../../../representors/types.ts'
import type { Exchange, MachineRenderer, TypeEntry } from '../graph/exchange.ts'
import { choose, render, VARY, viewTypes, type Handler } from './handler-kit.ts'
import { linkHeader } from '../protocol/link-header.ts'
import { problemKinds, problemTypeUrl, type ProblemKind } from '../reply/problem.ts'
import { collectionUrl, digestEtag, machineUrl } from '../views/views.ts'
import { defaultAnswers } from './defaults.ts'

interface StaticOptions {
  readonly cache?: string
  readonly vary?: string
  /** A Link field to send with the body. */
  readonly link?: (x: Exchange) => string
}

/** A route without versions of its own: validated by a digest of the body. */
function staticHandler(provides: (x: Exchange) => readonly string[], exists: (x: Exchange) => boolean, body: (x: Exchange) => string, o: StaticOptions = {}): Handler {
  const bodyOf = (x: Exchange): string => (x.rendered ??= body(x))
  const headers = (x: Exchange): Record<string, string> => ({ Vary: o.vary ?? 'Accept', 'Cache-Control': o.cache ?? 'public, max-age=60', ETag: digestEtag(bodyOf(x)), ...(o.link !== undefined && { Link: o.link(x) }) })
  return {
    hooks: {
      contentTypesProvided: provides,
      resourceExists: exists,
      etag: (x) => (choose(x) === false ? undefined : digestEtag(bodyOf(x))),
    },
    validatorHeaders: headers,
    represent: (x) => ({ status: 200, type: x.chosen as string, headers: headers(x), body: bodyOf(x) }),
  }
}

const collectionMethods = ['GET', 'HEAD', 'POST', 'OPTIONS']

/** Whether `GET /{collection}` would pass authentication (B8) and authorisation (B7) for this caller: asked of the very hooks that decide it. */
function mayList(x: Exchange, entry: TypeEntry): boolean {
  const hooks = entry.hooks.collection
  const probe: Exchange = { ...x, route: { kind: 'collection', methods: collectionMethods, entry }, method: 'GET', hooks, context: undefined }
  return hooks.authorized(probe) && hooks.forbidden(probe) === false
}

// Public to all: the machines and the sign-in page (only HTML, so typed for clients that read types).
const entryLinks = (x: Exchange, base = x.app.settings.basePath): NavLink[] => [
  ...x.app.types.filter((t) => mayList(x, t)).map((t) => ({ rel: t.type.collection, href: collectionUrl(base, t.type), title: t.type.collection })),
  ...x.app.types.map((t) => ({ rel: `${t.type.name}-machine`, href: machineUrl(base, t.type), title: `${t.type.name} machine` })),
  { rel: 'session', href: `${base}/session`, title: 'sign in or out', type: 'text/html' },
]

// Per caller, so private and varying with the credentials; the digest tags each caller's body.
// The links go in a Link field too, so that clients reading only headers can start here (RFC 8288).
export const entryPoint = staticHandler(viewTypes, () => true, (x) => render(x, {
  kind: 'entry',
  url: `${x.app.settings.basePath}/`,
  title: 'Affordance',
  links: entryLinks(x),
}), { cache: 'private, no-cache', vary: VARY, link: (x) => linkHeader(entryLinks(x), []) })

/** Resolves once every machine renderer can render (some load on first use); undefined when they already can. */
export function renderersReady(renderers: readonly MachineRenderer[] | undefined): Promise<void> | undefined {
  const waiting = (renderers ?? []).map((r) => r.ready?.()).filter((p) => p !== undefined)
  // A renderer that failed to load fails its own media type only, when asked to render.
  return waiting.length === 0 ? undefined : Promise.allSettled(waiting).then(() => undefined)
}

const machineTypes = ['application/json', 'text/vnd.graphviz', 'text/vnd.mermaid'] as const

const highlightOf = (x: Exchange): string | undefined => (typeof x.ctx.query.state === 'string' ? x.ctx.query.state : undefined)

const machineHandler = staticHandler(
  (x) => [...machineTypes, ...(x.app.machineRenderers ?? []).map((r) => r.mediaType)],
  (x) => x.app.byMachine.has(x.route.name ?? ''),
  (x) => {
    const m = (x.app.byMachine.get(x.route.name ?? '') as TypeEntry).type.machine
    const state = highlightOf(x)
    switch (x.chosen) {
      case 'text/vnd.graphviz': return toDot(m, state)
      case 'text/vnd.mermaid': return toMermaid(m, state)
      case 'application/json': return JSON.stringify(toJson(m))
      default: return (x.app.machineRenderers ?? []).find((r) => r.mediaType === x.chosen)?.render(m, state) ?? JSON.stringify(toJson(m))
    }
  },
)

// `state` must name a state of the machine: a diagram cannot highlight what is not there.
const stateProblem = (x: Exchange): string | undefined => {
  const state = x.ctx.query.state
  if (state === undefined) return undefined
  const m = x.app.byMachine.get(x.route.name ?? '')?.type.machine
  return typeof state !== 'string' || (m !== undefined && !m.states.includes(state)) ? '"state" must name one state of the machine.' : undefined
}

export const machine: Handler = { ...machineHandler, hooks: { ...machineHandler.hooks, malformed: (x) => defaultAnswers.malformed(x) ?? stateProblem(x) } }

export const health = staticHandler(() => ['application/json'], () => true, (x) => JSON.stringify({ status: x.app.settings.maintenance ? 'maintenance' : 'ok' }), { cache: 'no-store' })

const readyHandler = staticHandler(() => ['application/json'], () => true, () => JSON.stringify({ status: 'ready' }), { cache: 'no-store' })

/** Why the app should get no traffic now: draining, or its store cannot serve; undefined when ready. */
export const notReady = (x: Exchange): string | undefined => {
  if (x.app.ops.draining) return 'The service is draining before it stops; send requests elsewhere.'
  if (x.storeUnready !== undefined) return x.storeUnready
  // Asking starts it again when the last try failed: the probe helps a start-up on.
  return x.app.starting() === undefined ? undefined : 'The service is starting: it has not yet read its settings from the database.'
}

// B13 answers readiness: a load balancer sends traffic only where this is 200.
export const ready: Handler = { ...readyHandler, hooks: { ...readyHandler.hooks, serviceAvailable: (x) => !x.app.settings.maintenance && notReady(x) === undefined } }

export const schema = staticHandler(() => ['application/schema+json', 'application/json'], (x) => x.app.schemaDocs.has(x.route.name ?? ''), (x) => JSON.stringify(x.app.schemaDocs.get(x.route.name ?? ''), null, 2))

export const problemType = staticHandler(() => ['application/json'], (x) => Object.hasOwn(problemKinds, x.route.name ?? ''), (x) => {
  const kind = x.route.name as ProblemKind
  return JSON.stringify({ type: problemTypeUrl(kind, x.app.settings.basePath), ...problemKinds[kind] })
})
