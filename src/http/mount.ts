import Router from '@koa/router'
import type Koa from 'koa'
import { newExchange, type AppState, type Route } from './graph/exchange.ts'
import { answersFor } from './routes/answers.ts'
import { runGraph } from './graph/flow.ts'
import type { Reply } from './reply/reply.ts'
import { writeReply, type ProblemPage } from './reply/respond.ts'
import { writeUnexpected } from './reply/unexpected.ts'
import { badTarget, targetParses } from './protocol/target.ts'
import { announcesBody } from './protocol/body.ts'
import { renderersReady } from './routes/static.ts'
import { requestIdIn } from '../ops/observe.ts'
import { after } from '../awaitable.ts'

const READ = ['GET', 'HEAD', 'OPTIONS']

/** Mounts every route of the app on Koa: each request is one walk of the decision graph, its reply written by `respond.ts`. */
export function mountRoutes(koa: Koa, state: AppState, problemPage: ProblemPage, log: (error: unknown, requestId: string | undefined) => void): void {
  const out = { page: problemPage, base: state.settings.basePath }
  koa.silent = true
  koa.on('error', (error: unknown, ctx?: Koa.Context) => log(error, ctx === undefined ? undefined : requestIdIn(ctx)))
  // Koa's compose turns a throw anywhere below into a rejected promise, caught here.
  koa.use((ctx, next) => {
    if (!targetParses(ctx)) {
      writeReply(ctx, badTarget, undefined, out)
      return undefined
    }
    return next().catch((error: unknown) => writeUnexpected(ctx, error, (e) => log(e, requestIdIn(ctx)), out))
  })
  const write = (ctx: Koa.Context, reply: Reply, trace: readonly string[] | undefined): void => {
    writeReply(ctx, reply, trace, out)
    // Stopping: every reply, to a request in flight too, ends its connection, so that the server can close.
    if (state.ops.stopping) ctx.set('Connection', 'close')
    // Answered before the body arrived (401, 403, 413, 408): Node would keep reading it to reuse the
    // connection, for as long as the caller keeps sending. Close it instead. A request without a body
    // is not yet `complete` while its handler runs synchronously, so look at the framing, not that flag.
    if (!ctx.req.complete && announcesBody(ctx.req)) ctx.set('Connection', 'close')
  }
  // Synchronous when the graph is (every GET): no promise made per request.
  // Before the app has started (its store work, on a server database) requests wait; the probes answer at once.
  const handle = (ctx: Koa.Context, route: Route): Promise<void> | undefined => {
    const starting = route.kind === 'health' || route.kind === 'ready' ? undefined : state.starting()
    return starting === undefined ? walk(ctx, route) : starting.then(() => walk(ctx, route))
  }
  const walk = (ctx: Koa.Context, route: Route): Promise<void> | undefined => {
    const x = newExchange(ctx, state, route, answersFor(route.kind, route.entry), state.settings.trace ? [] : undefined)
    // The request's log line names the caller the graph found.
    ctx.state.exchange = x
    // The readiness probe asks the store first (a query, on a server database); B13 answers on it.
    const reply = route.kind === 'ready'
      ? after(state.store.unready?.(), (reason) => {
        if (reason !== undefined) x.storeUnready = reason
        return runGraph(x)
      })
      : runGraph(x)
    if (reply instanceof Promise) return reply.then((r) => write(ctx, r, x.trace))
    write(ctx, reply, x.trace)
    return undefined
  }
  const serve = (kind: Route['kind'], methods: readonly string[], pick: (params: Record<string, string>) => Partial<Route> | undefined) =>
    (ctx: Koa.Context): Promise<void> | undefined => {
      const found = pick(ctx.params as Record<string, string>)
      return handle(ctx, found === undefined ? { kind: 'none', methods: [] } : { kind, methods, ...found })
    }
  // Under a base path every route is under it; anything else falls through to the 404 below.
  const router = new Router(out.base === '' ? {} : { prefix: out.base })
  router.all('/', serve('entry', READ, () => ({})))
  router.all('/health', serve('health', READ, () => ({})))
  router.all('/ready', serve('ready', READ, () => ({})))
  const machine = serve('machine', READ, (p) => ({ name: p.name ?? '' }))
  // The graph asks for a diagram synchronously: a renderer that loads on first use is awaited here.
  router.all('/machines/:name', (ctx) => {
    const loading = renderersReady(state.machineRenderers)
    return loading === undefined ? machine(ctx) : loading.then(() => machine(ctx))
  })
  router.all('/schemas/:name', serve('schema', READ, (p) => ({ name: p.name ?? '' })))
  router.all('/session', serve('session', ['GET', 'HEAD', 'POST', 'OPTIONS'], () => ({})))
  router.all('/session/delete', serve('session', ['POST', 'OPTIONS'], () => ({ name: 'delete' })))
  router.all('/problems/:name', serve('problem-type', READ, (p) => ({ name: p.name ?? '' })))
  for (const entry of state.types) {
    const base = `/${entry.type.collection}`
    router.all(base, serve('collection', ['GET', 'HEAD', 'POST', 'OPTIONS'], () => ({ entry })))
    router.all(`${base}/:id`, serve('item', READ, (p) => ({ entry, id: p.id ?? '' })))
    router.all(`${base}/:id/history`, serve('history', READ, (p) => ({ entry, id: p.id ?? '' })))
    router.all(`${base}/:id/:action`, serve('action', ['POST', 'OPTIONS'], (p) =>
      entry.type.machine.byName.has(p.action ?? '') ? { entry, id: p.id ?? '', action: p.action ?? '' } : undefined))
  }
  koa.use(router.routes())
  koa.use((ctx) => handle(ctx, { kind: 'none', methods: [] }))
}
