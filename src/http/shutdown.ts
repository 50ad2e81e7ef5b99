import type { IncomingMessage, Server, ServerResponse } from 'node:http'

/** What `shutdown` asks of an app: to stop admitting requests, then to close its store. */
export interface Drainable {
  stopAdmitting(): void
  close(): void | Promise<void>
}

export interface ShutdownOptions {
  /** How long requests in flight may take to finish, in ms (default 8000); then their connections are cut. */
  readonly timeoutMs?: number
}

/** How a shutdown went: clean when every request in flight finished before the deadline. */
export interface ShutdownResult {
  readonly clean: boolean
}

// Below the 10 s that `docker stop` waits before SIGKILL, so that the server, not the runtime, ends it.
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 8000
const DRAINING_KEEP_ALIVE_MS = 100

/**
 * Stops a listening server and its app gracefully: no new connection is accepted, idle ones
 * close, a new request on a kept-alive connection gets 503 with `Connection: close`, requests
 * in flight finish and their writes commit, and then the store closes. Past the deadline the
 * remaining connections are cut, the store still closes (committing what it accepted), and the
 * result says it was not clean. Signals are the caller's: this installs no handler. Called
 * again for the same server, it returns the shutdown already under way.
 */
export function shutdown(server: Server, app: Drainable, options: ShutdownOptions = {}): Promise<ShutdownResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`timeoutMs must be a positive number of milliseconds, not ${timeoutMs}`)
  // A second signal must not close the store under the requests the first one is waiting for.
  const running = underway.get(server)
  if (running !== undefined) return running
  const done = stopAndClose(server, app, timeoutMs)
  underway.set(server, done)
  return done
}

const underway = new WeakMap<Server, Promise<ShutdownResult>>()

function stopAndClose(server: Server, app: Drainable, timeoutMs: number): Promise<ShutdownResult> {
  app.stopAdmitting()
  // Routes of a host app that are not ours close their connections too; ours say so themselves.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close')
  })
  // Such a route answering a request already in flight keeps its connection alive: let it idle
  // briefly, not for the 5 s default (nor forever, which 0 means).
  if (server.keepAliveTimeout === 0 || server.keepAliveTimeout > DRAINING_KEEP_ALIVE_MS) server.keepAliveTimeout = DRAINING_KEEP_ALIVE_MS
  return new Promise((resolve, reject) => {
    let settled = false
    const finish = (clean: boolean): void => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      // Closing commits the writes the store accepted; its failure is the shutdown's.
      Promise.resolve().then(() => app.close()).then(() => resolve({ clean }), (error: unknown) => reject(error as Error))
    }
    const deadline = setTimeout(() => {
      server.closeAllConnections()
      finish(false)
    }, timeoutMs)
    // Stops listening and closes idle connections; each busy one closes after its reply.
    server.close(() => finish(true))
  })
}
