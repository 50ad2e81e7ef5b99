import Koa from 'koa'
import type { Representor } from '../../representors/types.ts'
import { builtinRepresentors, renderProblemPage } from '../../representors/index.ts'
import type { ResourceType } from '../resource.ts'
import { openSqliteStore } from '../store/sqlite-store.ts'
import type { Store } from '../store/types.ts'
import { typeAnswers } from './routes/answers.ts'
import type { AppState, DemoUser, MachineRenderer, Settings, TypeEntry } from './graph/exchange.ts'
import type { ProblemPage } from './reply/respond.ts'
import { compileType, createAjv } from './schemas.ts'
import { svgRenderer } from './views/svg.ts'
import { schemaFiles } from '../contracts/schema-files.ts'
import { DEFAULT_RETENTION_MS, startPruning } from './features/idempotency.ts'
import { createRateLimiter, type RateLimit } from '../auth/rate-limit.ts'
import { tokenResolver } from '../auth/bearer.ts'
import { assertPolicy } from '../auth/policy.ts'
import { laterCursors } from './features/cursor.ts'
import { startUp } from './start-up.ts'
import { settingsOf, type SettingsOptions } from './settings.ts'
import { mountRoutes } from './mount.ts'
import { operationsOf, type OperationsOptions } from '../ops/operations.ts'
import { observeRequests } from '../ops/observe.ts'
import type { Metrics } from '../ops/metrics.ts'
import type { Logger } from 'pino'
import type { Server } from 'node:http'
import { koaMiddleware, nodeHandler, type NodeHandler } from './host.ts'

export interface AppOptions extends SettingsOptions, OperationsOptions {
  readonly resources: readonly ResourceType[]
  /** An SQLite file name, `:memory:`, or a store of your own. */
  readonly database: string | Store
  readonly synchronous?: 'FULL' | 'NORMAL'
  readonly groupCommit?: boolean
  /** Representors beyond the built-in ones, in order of preference after them. */
  readonly representors?: readonly Representor[]
  readonly machineRenderers?: readonly MachineRenderer[]
  /** Renders problems for browsers; the HTML explorer's page by default. */
  readonly problemPage?: ProblemPage
  /** Users the sign-in page (`/session`) lets a person pick without a token: for demo servers only. */
  readonly demoUsers?: readonly DemoUser[]
  /** Sign-in attempts per client address (default bursts of 10, then one per 10 s); false for none. */
  readonly signInRateLimit?: RateLimit | false
  /** Where unexpected errors are reported instead of the logger. */
  readonly log?: (error: unknown) => void
}

/** A Koa app serving the resource types, with its store. */
export type AffordanceApp = Koa & {
  readonly store: Store
  readonly affordance: AppState
  readonly logger: Logger
  /** The app's metrics registry, when metrics are on (`metricsPort` or `metrics`). */
  readonly metrics: Metrics['registry'] | undefined
  /** The server of `GET /metrics`, when `metricsPort` is set. */
  readonly metricsServer: Server | undefined
  /** Whether `drain` was called. */
  readonly draining: boolean
  /** Stops saying it is ready (`/ready` answers 503), so that a load balancer sends no more traffic; every request is still served. */
  drain(): void
  /** The app as a request handler for a node:http server or an Express app (`express.use('/api', app.handler)`); with `next`, requests outside the base path go there. */
  readonly handler: NodeHandler
  /** The app as middleware of another Koa app (`host.use(app.koa())`): requests outside the base path go on to the host's next middleware. */
  koa(): Koa.Middleware
  /** Whether `stopAdmitting` was called. */
  readonly stopping: boolean
  /** Drains, and turns every new request away for good: 503 with Retry-After; every reply, in flight too, closes its connection. `shutdown` calls it. */
  stopAdmitting(): void
  /** Resolves once the app has done what it asks of its store before serving (at once on SQLite); rejects when the database cannot be reached. */
  ready(): Promise<void>
  /** Stops background work and the metrics port, and closes the store, committing the writes it has accepted. */
  close(): Promise<void>
}

/** Builds the app: settings, then the types compiled and checked, the store opened, the routes mounted. */
export function createApp(options: AppOptions): AffordanceApp {
  const settings = settingsOf(options)
  const types = compileTypes(options.resources)
  const representors = representorsOf(options.representors ?? [])
  const schemaDocs = schemaFiles(options.resources)
  const store = openStore(options)
  const ops = operationsOf(options)
  const metrics = ops.metrics
  if (metrics !== undefined) store.observe?.({ batch: metrics.batch, checkpoint: metrics.checkpoint })
  if (metrics !== undefined && store.connections !== undefined) metrics.watchConnections(store.connections.bind(store))
  const cursors = laterCursors()
  const state = appState(options, settings, types, representors, store, schemaDocs, ops, cursors, startUp(store, types.map((t) => t.type), cursors))
  const pruning = startPruning(store, settings.idempotencyRetentionMs ?? DEFAULT_RETENTION_MS, settings.now)
  const koa = new Koa()
  koa.use(observeRequests(ops))
  mountRoutes(koa, state, options.problemPage ?? renderProblemPage, options.log ?? ((error, requestId) => ops.logger.error({ err: error, request_id: requestId }, 'unexpected error')))
  return Object.defineProperties(Object.assign(koa, {
    store,
    affordance: state,
    logger: ops.logger,
    metrics: metrics?.registry,
    metricsServer: ops.metricsServer,
    drain: () => ops.drain(),
    handler: nodeHandler(koa, settings.basePath),
    koa: () => koaMiddleware(koa, settings.basePath),
    stopAdmitting: () => ops.stopAdmitting(),
    ready: () => Promise.all([state.starting(), pruning.first]).then(() => undefined),
    close: async () => {
      pruning.stop()
      ops.close()
      await store.close()
    },
  }), { draining: { get: () => ops.draining, enumerable: true }, stopping: { get: () => ops.stopping, enumerable: true } }) as AffordanceApp
}

/** Every schema compiled once and every policy checked (deny by default), each type with its own collection. */
function compileTypes(resources: readonly ResourceType[]): TypeEntry[] {
  const ajv = createAjv()
  const types = resources.map((type): TypeEntry => {
    assertPolicy(type)
    return { type, compiled: compileType(ajv, type), hooks: typeAnswers(type.hooks), linkTemplates: new Map() }
  })
  const collections = new Set<string>()
  for (const t of types) {
    if (collections.has(t.type.collection)) throw new Error(`two resource types share the collection "${t.type.collection}"`)
    collections.add(t.type.collection)
  }
  return types
}

/** The built-in representors, then the app's own. */
function representorsOf(extra: readonly Representor[]): Representor[] {
  const representors = [...builtinRepresentors, ...extra]
  // A format's code sets its ETags (and Link templates) apart: two formats sharing one would send one tag for two bodies.
  const codes = new Map<string, string>()
  for (const r of representors) {
    const other = codes.get(r.code)
    if (other !== undefined) throw new Error(`representors ${other} and ${r.mediaType} share the ETag code "${r.code}"`)
    codes.set(r.code, r.mediaType)
  }
  return representors
}

/** The store the options name: an SQLite file opened here, or one passed in. */
function openStore(options: AppOptions): Store {
  if (typeof options.database !== 'string') return options.database
  return openSqliteStore({ filename: options.database, ...(options.synchronous !== undefined && { synchronous: options.synchronous }), ...(options.groupCommit !== undefined && { groupCommit: options.groupCommit }) })
}

/** The app's shared, read-only state. */
function appState(options: AppOptions, settings: Settings, types: readonly TypeEntry[], representors: readonly Representor[], store: Store, schemaDocs: AppState['schemaDocs'], ops: AppState['ops'], cursors: AppState['cursors'], starting: AppState['starting']): AppState {
  const signInLimit = options.signInRateLimit ?? DEFAULT_SIGN_IN_LIMIT
  return {
    store,
    ops,
    resolveToken: tokenResolver(store, 10_000, settings.now, ops.metrics?.tokenLookup),
    settings,
    types,
    byCollection: new Map(types.map((t) => [t.type.collection, t])),
    byMachine: new Map(types.map((t) => [t.type.machine.name, t])),
    representors,
    schemaDocs,
    machineRenderers: [...(options.machineRenderers ?? []), svgRenderer],
    demoUsers: options.demoUsers ?? [],
    cursors,
    starting,
    ...(settings.rateLimit !== false && settings.rateLimit !== undefined && { rateLimiter: createRateLimiter(settings.rateLimit, settings.now) }),
    ...(signInLimit !== false && { signInLimiter: createRateLimiter(signInLimit, settings.now) }),
  }
}

// Enough for a person retrying a mistyped token; far too few to guess one, or to fill the tokens table.
const DEFAULT_SIGN_IN_LIMIT: RateLimit = { capacity: 10, refillPerSecond: 0.1 }
