import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import Koa from 'koa'
import { claimDemoDatabase, createApp, openStore, issueToken, type AffordanceApp, type AppOptions } from '../../src/index.ts'
import { bookmark, demoUsers, visit } from '../../src/resources/index.ts'
import { registerContracts } from './representor-contracts.ts'
import { newTestDatabase } from './stores.ts'

/** How the host serves the app: as Koa middleware, a node:http handler, or an Express handler. */
export type Host = 'koa' | 'node' | 'express'

export interface MountedServer {
  /** The origin the host listens on, without the base path. */
  readonly origin: string
  readonly app: AffordanceApp
  readonly tokens: Readonly<Record<string, string>>
  close(): Promise<void>
}

/** What the host answers itself: a greeting at /hello, and its own 404 text elsewhere. */
export const HOST_GREETING = 'hello from the host'
export const HOST_MISSING = 'the host has no such page'

function hostListener(host: Host, app: AffordanceApp): RequestListener {
  switch (host) {
    case 'koa': {
      const koa = new Koa()
      koa.use(async (ctx, next) => {
        if (ctx.path === '/hello') ctx.body = HOST_GREETING
        else await next()
      })
      koa.use(app.koa())
      koa.use((ctx) => {
        ctx.status = 404
        ctx.body = HOST_MISSING
      })
      return koa.callback()
    }
    case 'node':
      return (req: IncomingMessage, res: ServerResponse) => {
        if (req.url === '/hello') {
          res.end(HOST_GREETING)
          return
        }
        app.handler(req, res, () => {
          res.statusCode = 404
          res.end(HOST_MISSING)
        })
      }
    case 'express': {
      const e = express()
      e.get('/hello', (_req, res) => { res.send(HOST_GREETING) })
      e.use('/api', app.handler)
      e.use((_req, res) => { res.status(404).send(HOST_MISSING) })
      return e
    }
  }
}

/** The demo types mounted at /api inside a host server of the given kind, with demo users and their tokens. */
export async function startMounted(host: Host, options: Partial<AppOptions> = {}): Promise<MountedServer> {
  const db = await newTestDatabase()
  const app = createApp({ resources: [bookmark, visit], database: await openStore(db.location), log: () => {}, rateLimit: false, basePath: '/api', demoUsers, ...options })
  await app.ready()
  registerContracts(app.affordance.schemaDocs)
  if (!(await claimDemoDatabase(app.store))) throw new Error('a new database could not be made a demo')
  const tokens: Record<string, string> = {}
  for (const user of demoUsers) tokens[user.id] = await issueToken(app.store, user, Date.now())
  const server: Server = createServer(hostListener(host, app))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    app,
    tokens,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await app.close()
      await db.remove()
    },
  }
}
