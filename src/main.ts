import { createApp, createHttpServer } from './index.ts'
import { bookmark, demoUsers, seedDemo, visit } from './resources/index.ts'

/** The demo server: `npm start`. */
const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
const database = process.env.DATABASE_URL ?? 'data/affordance.db'

const app = createApp({
  resources: [bookmark, visit],
  database,
  demoUsers,
  ...(process.env.PUBLIC_URL !== undefined && { publicUrl: process.env.PUBLIC_URL }),
})

if (app.store.isEmpty()) {
  const tokens = await seedDemo(app.store)
  console.log('New database: demo data created. Demo tokens (shown once):')
  for (const { user, token } of tokens) console.log(`  ${user.id.padEnd(20)} ${user.roles.join(',').padEnd(11)} ${token}`)
}

const server = createHttpServer(app)
server.listen(port, host, () => {
  const address = server.address()
  const bound = typeof address === 'object' && address !== null ? address.port : port
  console.log(`Affordance listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${bound}/ (database: ${database})`)
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
