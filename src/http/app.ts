import Router from '@koa/router'
import Koa from 'koa'
import type { Representor } from '../../representors/types.ts'
import { builtinRepresentors } from '../../representors/index.ts'
import type { ResourceType } from '../resource.ts'
import { openSqliteStore } from '../store/sqlite-store.ts'
import type { Store } from '../store/types.ts'
import { defaultHooks } from './defaults.ts'
import type { AppState, Exchange, MachineRenderer, Route, Settings, TypeEntry } from './exchange.ts'
import { runGraph } from './flow.ts'
import { writeReply, type ProblemPage } from './respond.ts'
import { compileType, createAjv } from './schemas.ts'
import { writeUnexpected } from './unexpected.ts'
import { badTarget, targetParses } from './request-target.ts'

export interface AppOptions {
  readonly resources: readonly ResourceType[]
  /** An SQLite file name, `:memory:`, or a store of your own. */
  readonly database: string | Store
  readonly synchronous?: 'FULL' | 'NORMAL'
  readonly groupCommit?: boolean
  /** Answer 503 to everything but /health (also `MAINTENANCE=1`). */
  readonly maintenance?: boolean
  /** Send `Affordance-Trace` with the decision path (also `AFFORDANCE_TRACE=1`). */
  readonly trace?: boolean
  readonly maxUriLength?: number
  readonly maxBodyBytes?: number
  readonly maxJsonDepth?: number
  readonly publicUrl?: string
  /** Representors beyond the built-in ones, in order of preference after them. */
  readonly representors?: readonly Representor[]
  readonly machineRenderers?: readonly MachineRenderer[]
  readonly problemPage?: ProblemPage
  /** The clock, for tests. */
  readonly now?: () => number
  /** Where unexpected errors are reported (default: console.error). */
  readonly log?: (error: unknown) => void
}

/** A Koa app serving the resource types, with its store. */
export type AffordanceApp = Koa & { readonly store: Store; readonly affordance: AppState; close(): void }

const flag = (v: string | undefined): boolean => v === '1' || v === 'true'

/** Builds the app: compiles every schema, checks every policy, mounts every route. */
export function createApp(options: AppOptions): AffordanceApp {
  const settings: Settings = {
    maintenance: options.maintenance ?? flag(process.env.MAINTENANCE),
    retryAfter: 120,
    trace: options.trace ?? flag(process.env.AFFORDANCE_TRACE),
    maxUriLength: options.maxUriLength ?? 8192,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    maxJsonDepth: options.maxJsonDepth ?? 32,
    defaultPageSize: 20,
    maxPageSize: 100,
    now: options.now ?? Date.now,
    ...(options.publicUrl !== undefined && { publicUrl: options.publicUrl.replace(/\/$/, '') }),
  }
  const ajv = createAjv()
  const types: TypeEntry[] = options.resources.map((type) => {
    checkPolicy(type)
    return { type, compiled: compileType(ajv, type), hooks: { ...defaultHooks, ...type.hooks } }
  })
  const collections = new Set<string>()
  for (const t of types) {
    if (collections.has(t.type.collection)) throw new Error(`two resource types share the collection "${t.type.collection}"`)
    collections.add(t.type.collection)
  }
  const store = typeof options.database === 'string'
    ? openSqliteStore({ filename: options.database, ...(options.synchronous !== undefined && { synchronous: options.synchronous }), ...(options.groupCommit !== undefined && { groupCommit: options.groupCommit }) })
    : options.database
  const schemaDocs = new Map<string, unknown>()
  for (const t of types) {
    schemaDocs.set(`${t.type.name}.json`, t.type.schema)
    if (t.type.createSchema !== t.type.schema) schemaDocs.set(`${t.type.name}-create.json`, t.type.createSchema)
    for (const s of t.type.inputs) if (s.$id !== undefined) schemaDocs.set(s.$id.replace(/^.*\//, ''), s)
  }
  const state: AppState = {
    store,
    settings,
    types,
    byCollection: new Map(types.map((t) => [t.type.collection, t])),
    byMachine: new Map(types.map((t) => [t.type.machine.name, t])),
    representors: [...builtinRepresentors, ...(options.representors ?? [])],
    defaults: defaultHooks,
    schemaDocs,
    machineRenderers: options.machineRenderers ?? [],
  }
  const log = options.log ?? ((error: unknown) => console.error('unexpected error:', error))
  const koa = new Koa()
  koa.silent = true
  koa.on('error', (error: unknown) => log(error))
  koa.use(async (ctx, next) => {
    try {
      if (targetParses(ctx)) await next()
      else writeReply(ctx, badTarget, undefined, options.problemPage)
    } catch (error) {
      writeUnexpected(ctx, error, log, options.problemPage)
    }
  })
  const router = new Router()
  const serve = (kind: Route['kind'], methods: readonly string[], pick: (params: Record<string, string>) => Partial<Route> | undefined) =>
    async (ctx: Koa.Context): Promise<void> => {
      const found = pick(ctx.params as Record<string, string>)
      const route: Route = found === undefined ? { kind: 'none', methods: [] } : { kind, methods, ...found }
      await handle(ctx, route)
    }
  const handle = async (ctx: Koa.Context, route: Route): Promise<void> => {
    const x: Exchange = { ctx, app: state, route, method: ctx.method, hooks: route.entry?.hooks ?? defaultHooks, trace: [] }
    const reply = await runGraph(x)
    writeReply(ctx, reply, settings.trace ? x.trace : undefined, options.problemPage)
  }
  const READ = ['GET', 'HEAD', 'OPTIONS']
  router.all('/', serve('entry', READ, () => ({})))
  router.all('/health', serve('health', READ, () => ({})))
  router.all('/machines/:name', serve('machine', READ, (p) => ({ name: p.name ?? '' })))
  router.all('/schemas/:name', serve('schema', READ, (p) => ({ name: p.name ?? '' })))
  router.all('/problems/:name', serve('problem-type', READ, (p) => ({ name: p.name ?? '' })))
  for (const entry of types) {
    const base = `/${entry.type.collection}`
    router.all(base, serve('collection', ['GET', 'HEAD', 'POST', 'OPTIONS'], () => ({ entry })))
    router.all(`${base}/:id`, serve('item', READ, (p) => ({ entry, id: p.id ?? '' })))
    router.all(`${base}/:id/history`, serve('history', READ, (p) => ({ entry, id: p.id ?? '' })))
    router.all(`${base}/:id/:action`, serve('action', ['POST', 'OPTIONS'], (p) =>
      entry.type.machine.byName.has(p.action ?? '') ? { entry, id: p.id ?? '', action: p.action ?? '' } : undefined))
  }
  koa.use(router.routes())
  koa.use(async (ctx) => handle(ctx, { kind: 'none', methods: [] }))
  return Object.assign(koa, {
    store,
    affordance: state,
    close: () => store.close(),
  })
}

/** Deny by default: every action and every resource type must say who may use it. */
function checkPolicy(type: ResourceType): void {
  for (const a of type.machine.actions) {
    if (a.roles === undefined || a.roles.length === 0) throw new Error(`resource "${type.name}": action "${a.name}" has no roles; say who may take it`)
  }
  if (type.policy.view.length === 0) throw new Error(`resource "${type.name}": no role may view it`)
}
