import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp } from '../src/index.ts'
import { bookmark, visit } from '../src/resources/index.ts'

/**
 * Affordance as the benchmark sees it: the demo resource types over a prepared database
 * (`BENCH_DATABASE`), on an ephemeral port printed as `listening <port>`.
 */
const database = process.env.BENCH_DATABASE
if (database === undefined) throw new Error('BENCH_DATABASE names the database file')
const synchronous = process.env.BENCH_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL'

// The baseline has no rate limit; one token at thousands of requests per second would otherwise meet ours.
const app = createApp({ resources: [bookmark, visit], database, synchronous, rateLimit: false })
const server = createServer(app.callback())
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`))

process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => {
    app.close()
    process.exit(0)
  })
})
