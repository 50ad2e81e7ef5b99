import { createServer } from 'node:net'
import { parseArgs } from 'node:util'
import { rateLimitFromEnv } from '../auth/rate-limit.ts'
import { createApp, createHttpServer, shutdown } from '../index.ts'
import { openStore, shownDatabase } from '../store/open.ts'
import type { Store } from '../store/types.ts'
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../http/shutdown.ts'
import { demoUsers, seedDemo } from '../resources/index.ts'
import { FAILED, USAGE, type Command, type Output } from './command.ts'
import { readSettings, settingsHelp, type SettingName, type Values } from './settings.ts'
import { demoTypes, loadTypes } from './types-module.ts'

const names: readonly SettingName[] = ['port', 'host', 'database', 'databasePoolSize', 'databasePoolTimeoutMs', 'publicUrl', 'basePath', 'allowedHosts', 'logLevel', 'metricsPort', 'metricsHost', 'headersTimeoutMs', 'requestTimeoutMs', 'bodyTimeoutMs', 'maxConnections', 'rateLimitBurst', 'rateLimitPerSecond', 'sessionTtlSeconds', 'shutdownTimeoutMs']

const usage = `Usage: affordance serve <module> [settings]
       affordance serve --demo | --no-demo [settings]

Serves the resource types <module> exports (its default export, a type or a list of
types, or else every exported type made with defineResource).
  --demo     the demo types (bookmark, visit); a new, empty database gets demo users,
             data and sign-in, and each demo user's token is printed once
  --no-demo  the demo types without demo data or demo sign-in

Settings (flag or environment variable; the flag wins):
${settingsHelp(names)}`

/** Whether the port can be bound: checked before a database is created or a token printed. */
function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)))
    probe.listen(port, host, () => probe.close(() => resolve(true)))
  })
}

// Under `npm start` the user's next command is an npm script; otherwise the installed command.
const tokenHint = (env: NodeJS.ProcessEnv, database: string): string =>
  env.npm_lifecycle_event === 'start'
    ? `${env.DATABASE_URL === undefined ? '' : `DATABASE_URL=${shownDatabase(database)} `}npm run token -- create --tenant <tenant> --role <role>`
    : `affordance token create --tenant <tenant> --role <role>${database === 'data/affordance.db' ? '' : ` --database ${shownDatabase(database)}`}`

/** The app's options from the settings given; unset ones keep the app's defaults. */
function rateLimitOf(v: Values): { rateLimit?: ReturnType<typeof rateLimitFromEnv> } {
  if (v.rateLimitBurst === undefined && v.rateLimitPerSecond === undefined) return {}
  return { rateLimit: rateLimitFromEnv({ RATE_LIMIT_BURST: v.rateLimitBurst?.toString(), RATE_LIMIT_PER_SECOND: v.rateLimitPerSecond?.toString() }) }
}

async function serve(argv: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number | undefined> {
  const read = readSettings(names, argv, env)
  if (!read.ok) {
    read.errors.forEach((e) => io.err(e))
    return USAGE
  }
  let positionals: string[]
  try {
    ;({ positionals } = parseArgs({ args: read.rest, options: { demo: { type: 'boolean' }, 'no-demo': { type: 'boolean' } }, strict: true, allowPositionals: true }))
  } catch (error) {
    io.err(`${(error as Error).message}\n${usage}`)
    return USAGE
  }
  const demoFlag = Math.max(read.rest.lastIndexOf('--demo'), read.rest.lastIndexOf('--no-demo'))
  const demo = demoFlag !== -1 && read.rest[demoFlag] === '--demo'
  if (positionals.length > 1 || (positionals.length === 1) === (demoFlag !== -1)) {
    io.err(`${positionals.length > 1 ? 'name one module' : demoFlag === -1 ? 'name a module that exports resource types, or --demo' : 'give a module or --demo, not both'}\n${usage}`)
    return USAGE
  }
  const loaded = positionals[0] === undefined ? { ok: true as const, types: demoTypes } : await loadTypes(positionals[0], env)
  if (!loaded.ok) {
    io.err(loaded.error)
    return FAILED
  }
  const v = read.values
  const port = (v.port as number | undefined) ?? 3000
  const host = (v.host as string | undefined) ?? '127.0.0.1'
  const database = (v.database as string | undefined) ?? 'data/affordance.db'
  const where = `${host}:${port}`
  const inUse = `Port ${port} on ${host} is already in use; stop what uses it or set PORT to another port.`
  const free = port === 0 || (await portFree(port, host).catch((error: Error) => error))
  if (free !== true) {
    io.err(free === false ? inUse : `Cannot listen on ${where}: ${free.message}`)
    return FAILED
  }

  let store: Store
  try {
    store = await openStore(database, { postgres: {
      ...(v.databasePoolSize !== undefined && { max: v.databasePoolSize as number }),
      ...(v.databasePoolTimeoutMs !== undefined && { connectionTimeoutMs: v.databasePoolTimeoutMs as number }),
    } })
  } catch (error) {
    io.err(`Cannot open the database ${shownDatabase(database)}: ${(error as Error).message}`)
    return FAILED
  }
  let app: ReturnType<typeof createApp>
  try {
    app = createApp({
      resources: loaded.types,
      database: store,
      ...(demo && { demoUsers }),
      // A server says what it serves; an embedded app only what goes wrong, unless asked.
      logLevel: (v.logLevel as string | undefined) ?? 'info',
      ...(v.metricsPort !== undefined && { metricsPort: v.metricsPort as number }),
      ...(v.metricsHost !== undefined && { metricsHost: v.metricsHost as string }),
      ...(v.publicUrl !== undefined && { publicUrl: v.publicUrl as string }),
      ...(v.basePath !== undefined && { basePath: v.basePath as string }),
      ...(v.allowedHosts !== undefined && { allowedHosts: (v.allowedHosts as string).split(',').map((h) => h.trim()) }),
      ...(v.bodyTimeoutMs !== undefined && { bodyTimeoutMs: v.bodyTimeoutMs as number }),
      ...(v.sessionTtlSeconds !== undefined && { sessionTtlMs: (v.sessionTtlSeconds as number) * 1000 }),
      ...rateLimitOf(v),
    })
  } catch (error) {
    // A definition the app refuses (a policy, a schema) is the user's to fix: one line, no stack.
    io.err(`Cannot serve: ${(error as Error).message}`)
    await store.close()
    return FAILED
  }

  const tokens = demo ? await seedDemo(app.store) : undefined
  if (tokens !== undefined) {
    io.out('New database: demo data created. Demo tokens (shown once):')
    for (const { user, token } of tokens) io.out(`  ${user.id.padEnd(20)} ${user.roles.join(',').padEnd(11)} ${token}`)
  } else {
    io.out(`To get a token: ${tokenHint(env, database)}`)
  }

  const server = createHttpServer(app, {
    ...(v.headersTimeoutMs !== undefined && { headersTimeoutMs: v.headersTimeoutMs as number }),
    ...(v.requestTimeoutMs !== undefined && { requestTimeoutMs: v.requestTimeoutMs as number }),
    ...(v.maxConnections !== undefined && { maxConnections: v.maxConnections as number }),
  })
  // Another process may take the port between the check and here: still one line, no stack.
  server.once('error', (error: NodeJS.ErrnoException) => {
    io.err(error.code === 'EADDRINUSE' ? inUse : `Cannot listen on ${where}: ${error.message}`)
    const leave = (): never => process.exit(FAILED)
    Promise.resolve().then(() => app.close()).then(leave, leave)
  })
  server.listen(port, host, () => {
    const address = server.address()
    const bound = typeof address === 'object' && address !== null ? address.port : port
    io.out(`Affordance listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${bound}${app.affordance.settings.basePath}/ (database: ${shownDatabase(database)}${demo || positionals[0] !== undefined ? '' : ', no demo'})`)
  })

  const timeoutMs = (v.shutdownTimeoutMs as number | undefined) ?? DEFAULT_SHUTDOWN_TIMEOUT_MS
  let stopping = false
  function stop(signal: string): void {
    // One signal is enough: under `npm start` a Ctrl-C reaches us twice, from the terminal and from npm.
    if (stopping) return
    stopping = true
    io.out(`${signal}: closing; requests in flight have ${timeoutMs} ms to finish`)
    shutdown(server, app, { timeoutMs }).then(({ clean }) => {
      if (!clean) io.err(`${signal}: requests still in flight after ${timeoutMs} ms were cut`)
      exit(clean ? 0 : FAILED)
    }, (error: unknown) => {
      io.err(`${signal}: the database did not close cleanly: ${(error as Error).message}`)
      exit(FAILED)
    })
  }
  // The process ends by itself once the store's background checkpoint thread has closed its
  // connection (leaving while it is inside SQLite can crash); should anything else hold it, it is ended.
  function exit(code: number): void {
    process.exitCode = code
    setTimeout(() => process.exit(code), 2000).unref()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  return undefined
}

export const serveCommand: Command = { summary: 'serve the resource types a module exports, or the demo', usage, run: serve }
