import type { AddressInfo } from 'node:net'
import { createApp, createHttpServer, openSqliteStore } from '../../src/index.ts'
import { bookmark, visit } from '../../src/resources/index.ts'

// A server in a process of its own, for tests that need several processes on one
// database or a process to kill: `node --import tsx serve-process.ts <file>`.
// It prints one JSON line with its URL and the settings its own connection runs with.
const file = process.argv[2]
if (file === undefined) {
  console.error('usage: serve-process.ts <sqlite file>')
  process.exit(2)
}
const store = openSqliteStore({ filename: file })
const app = createApp({ resources: [bookmark, visit], database: store, log: (error) => console.error('unexpected error:', error) })
const server = createHttpServer(app)
server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as AddressInfo).port
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, pid: process.pid, synchronous: store.pragma('synchronous'), journal_mode: store.pragma('journal_mode') }))
})
// The parent may die without killing us: leave when stdin closes, never linger.
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => {
    app.close()
    process.exit(0)
  })
})
