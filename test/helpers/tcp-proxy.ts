import { connect, createServer, type Server, type Socket } from 'node:net'

/** A TCP relay to a server that a test can cut (every connection dropped, new ones refused) and restore on the same port. */
export interface TcpProxy {
  readonly port: number
  /** Delays what the server sends from now on by `ms` (raising it keeps the stream in order). */
  lag(ms: number): void
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

/**
 * Relays 127.0.0.1:<a free port> to `target`, as a network path a test can break; with
 * `lagMs`, what the server sends reaches the client that much later (in order), as from a
 * database far away.
 */
export async function startTcpProxy(target: { host: string; port: number }, { lagMs = 0 } = {}): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let lag = lagMs
  const relay = (client: Socket): void => {
    const upstream = connect(target.port, target.host)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {})
    }
    client.pipe(upstream)
    // Timers of one delay fire in the order they were set: the stream stays in order. Unref'd: a stalled relay keeps no test alive.
    upstream.on('data', (chunk: Buffer) => {
      if (lag === 0) client.write(chunk)
      else setTimeout(() => client.write(chunk), lag).unref()
    })
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
    lag: (ms) => { lag = ms },
    cut: stop,
    async restore() {
      server = createServer(relay)
      await listen(server, port)
    },
    close: stop,
  }
}
