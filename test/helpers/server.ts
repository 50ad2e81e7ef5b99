import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { claimDemoDatabase, createApp, openStore, createHttpServer, issueToken, type AffordanceApp, type AppOptions, type ServerOptions } from '../../src/index.ts'
import { bookmark, demoUsers, visit } from '../../src/resources/index.ts'
import { checkResponse } from './contracts.ts'
import { registerContracts } from './representor-contracts.ts'
import { newTestDatabase, type StoreKind } from './stores.ts'

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The parsed body when it is JSON of any kind. */
  readonly json: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RequestOptions {
  /** A demo user id (`north-reader`) whose token to send, or none. */
  readonly as?: string
  readonly token?: string
  readonly headers?: Record<string, string>
  /** A JSON value to send as the body. */
  readonly json?: unknown
  /** A raw body (string or bytes) sent as is. */
  readonly body?: string | Uint8Array
}

export interface TestServer {
  readonly url: string
  readonly app: AffordanceApp
  /** Where its database is: an SQLite file, or (STORE=postgres) a PostgreSQL URL selecting its own schema. */
  readonly database: string
  readonly storeKind: StoreKind
  readonly tokens: Readonly<Record<string, string>>
  request(method: string, path: string, options?: RequestOptions): Promise<Reply>
  close(): Promise<void>
}

/**
 * Starts the demo resource types on an ephemeral port with a fresh SQLite file and demo users.
 * With the `demoUsers` option the database is made a demo one (as `npm start` seeds it) unless `demo` is false.
 */
export async function startServer(options: Partial<AppOptions> = {}, serverOptions: ServerOptions = {}, { demo = options.demoUsers !== undefined } = {}): Promise<TestServer> {
  const db = await newTestDatabase()
  const store = options.database ?? await openStore(db.location)
  // Tests send bursts far above any real client's; the rate limit has tests of its own.
  const app = createApp({ resources: [bookmark, visit], log: () => {}, rateLimit: false, ...options, database: store })
  await app.ready()
  registerContracts(app.affordance.schemaDocs)
  if (demo && !(await claimDemoDatabase(app.store))) throw new Error('a new database could not be made a demo')
  const tokens: Record<string, string> = {}
  for (const user of demoUsers) tokens[user.id] = await issueToken(app.store, user, Date.now())
  const server: Server = createHttpServer(app, serverOptions)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    app,
    database: db.location,
    storeKind: db.kind,
    tokens,
    request: (method, path, o = {}) => send(url, tokens, method, path, o),
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await app.close()
      await db.remove()
    },
  }
}

/** Sends one request and checks the response against the problem and representor contracts. */
export async function send(base: string, tokens: Readonly<Record<string, string>>, method: string, path: string, o: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...o.headers }
  const token = o.token ?? (o.as === undefined ? undefined : tokens[o.as])
  if (o.as !== undefined && token === undefined) throw new Error(`no demo user ${o.as}`)
  if (token !== undefined) headers.authorization ??= `Bearer ${token}`
  let body: string | Uint8Array | undefined = o.body
  if (o.json !== undefined) {
    body = JSON.stringify(o.json)
    headers['content-type'] ??= 'application/json'
  }
  // Redirects are answers too (303 after a form post): tests see them instead of following them.
  const res = await fetch(base + path, { method, headers, redirect: 'manual', ...(body !== undefined && { body: body as BodyInit }) })
  const text = method === 'HEAD' ? '' : await res.text()
  let json: unknown
  if (/json/.test(res.headers.get('content-type') ?? '') && text !== '') json = JSON.parse(text)
  const reply: Reply = { status: res.status, headers: res.headers, text, json }
  checkResponse(method, path, reply)
  return reply
}
