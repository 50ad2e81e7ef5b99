import { connect, createServer, type Server, type Socket } from 'node:net'

/** A TCP relay to a server that a test can cut (every connection dropped, new ones refused) and restore on the same port. */
export interface TcpProxy {
  readonly port: number
  cut(): Promise<void>
  restore(): Promise<void>
  close(): Promise<void>
}

const listen = (server: Server, port: number): Promise<number> => new Promise((resolve, reject) => {
  server.once('error', reject)
  server.listen(port, '127.0.0.1', () => {
    server.off('error', reject)
    resolve((server.address() as { port: number }).port)
  })
})

/** Relays 127.0.0.1:<a free port> to `target`, as a network path a test can break. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  const relay = (client: Socket): void => {
    const upstream = connect(target.port, target.host)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {})
    }
    client.pipe(upstream).pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  }
  let server = createServer(relay)
  const port = await listen(server, 0)
  const stop = (): Promise<void> => new Promise((resolve) => {
    for (const s of sockets) s.destroy()
    if (server.listening) server.close(() => resolve())
    else resolve()
  })
  return {
    port,
    cut: stop,
    async restore() {
      server = createServer(relay)
      await listen(server, port)
    },
    close: stop,
  }
}
