import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * Serves a benchmarked server the same way for Affordance and the baselines: ephemeral
 * port on 127.0.0.1, printed as `listening <port>`, long keep-alive, and on SIGTERM
 * connections dropped, `close` called (and awaited: a database pool ends its sessions), exit 0.
 */
export function listenForBench(handler: RequestListener, close: () => unknown): void {
  const server = createServer(handler)
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`))
  process.on('SIGTERM', () => {
    server.closeAllConnections()
    server.close(() => {
      const leave = (): never => process.exit(0)
      Promise.resolve().then(close).then(leave, leave)
    })
  })
}
