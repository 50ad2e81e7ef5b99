import { createServer } from 'node:net'
import { parseArgs } from 'node:util'
import { createApp, createHttpServer } from './index.ts'
import { bookmark, demoUsers, seedDemo, visit } from './resources/index.ts'

/** The demo server: `npm start`; `npm start -- --no-demo` serves the same types with no demo data or demo sign-in. */
const USAGE = 'Usage: npm start [-- --no-demo]   (PORT, HOST, DATABASE_URL, PUBLIC_URL from the environment)'

let demo: boolean
try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { 'no-demo': { type: 'boolean' } }, strict: true, allowPositionals: false })
  demo = values['no-demo'] !== true
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`)
  process.exit(2)
}

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
const database = process.env.DATABASE_URL ?? 'data/affordance.db'

const inUse = (): string => `Port ${port} on ${host} is already in use; stop what uses it or set PORT to another port.`

/** Whether the port can be bound: checked before a database is created or a token printed. */
function portFree(): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)))
    probe.listen(port, host, () => probe.close(() => resolve(true)))
  })
}

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

if (port !== 0 && !(await portFree().catch((error: Error) => fail(`Cannot listen on ${host}:${port}: ${error.message}`)))) fail(inUse())

const app = createApp({
  resources: [bookmark, visit],
  database,
  ...(demo && { demoUsers }),
  ...(process.env.PUBLIC_URL !== undefined && { publicUrl: process.env.PUBLIC_URL }),
})

const tokens = demo ? await seedDemo(app.store) : undefined
if (tokens !== undefined) {
  console.log('New database: demo data created. Demo tokens (shown once):')
  for (const { user, token } of tokens) console.log(`  ${user.id.padEnd(20)} ${user.roles.join(',').padEnd(11)} ${token}`)
} else {
  const env = process.env.DATABASE_URL === undefined ? '' : `DATABASE_URL=${database} `
  console.log(`To get a token: ${env}npm run token -- create --tenant <tenant> --role <role>`)
}

const server = createHttpServer(app)
// Another process may take the port between the check and here: still one line, no stack.
server.once('error', (error: NodeJS.ErrnoException) => {
  app.close()
  fail(error.code === 'EADDRINUSE' ? inUse() : `Cannot listen on ${host}:${port}: ${error.message}`)
})
server.listen(port, host, () => {
  const address = server.address()
  const bound = typeof address === 'object' && address !== null ? address.port : port
  console.log(`Affordance listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${bound}/ (database: ${database}${demo ? '' : ', no demo'})`)
})

let stopping = false
function stop(signal: string): void {
  if (stopping) return
  stopping = true
  console.log(`${signal}: closing`)
  // Stop accepting, let requests in flight finish (their writes commit), then close the database.
  server.close(() => {
    app.close()
    process.exit(0)
  })
  server.closeIdleConnections()
  setTimeout(() => {
    server.closeAllConnections()
  }, 5000).unref()
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
