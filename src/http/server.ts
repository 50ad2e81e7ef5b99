import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { answerClientError, rawProblem } from './reply/client-error.ts'
import { ALWAYS } from './reply/browser-policy.ts'
import { problem, problemDocument, problemMediaType } from './reply/problem.ts'
import { requestIdOf } from '../ops/request-id.ts'

/** Bounds on what one connection may hold (times in ms). */
export interface ServerOptions {
  /** Time to receive the request line and header fields (default 20 s; also `HEADERS_TIMEOUT_MS`); then 408. */
  readonly headersTimeoutMs?: number
  /** Time to receive the whole request, body included (default 60 s; also `REQUEST_TIMEOUT_MS`); then 408. */
  readonly requestTimeoutMs?: number
  /** Open connections at once (default 1024; also `MAX_CONNECTIONS`); more are closed as they arrive. */
  readonly maxConnections?: number
}

const defaults = { headersTimeoutMs: 20_000, requestTimeoutMs: 60_000, maxConnections: 1024 } as const

/** Reads `HEADERS_TIMEOUT_MS`, `REQUEST_TIMEOUT_MS` and `MAX_CONNECTIONS`; refuses a value that is not a positive integer. */
export function serverOptionsFromEnv(env: NodeJS.ProcessEnv): ServerOptions {
  const read = (name: string): number | undefined => {
    const v = env[name]
    if (v === undefined || v === '') return undefined
    const n = Number(v)
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} "${v}" is not a positive whole number`)
    return n
  }
  const headersTimeoutMs = read('HEADERS_TIMEOUT_MS')
  const requestTimeoutMs = read('REQUEST_TIMEOUT_MS')
  const maxConnections = read('MAX_CONNECTIONS')
  return { ...(headersTimeoutMs !== undefined && { headersTimeoutMs }), ...(requestTimeoutMs !== undefined && { requestTimeoutMs }), ...(maxConnections !== undefined && { maxConnections }) }
}

const missingHost = problem('malformed-request', 'An HTTP/1.1 request must carry a Host header field (RFC 9112 §3.2).')

/**
 * An HTTP server for an app whose malformed requests, too, get problem documents, and whose
 * connections are bounded: a caller who sends slowly, or opens many, holds nothing for long.
 */
export function createHttpServer(app: { callback(): RequestListener; readonly affordance?: { readonly settings: { readonly basePath: string } } }, options: ServerOptions = {}): Server {
  const o = { ...defaults, ...serverOptionsFromEnv(process.env), ...options }
  if (o.headersTimeoutMs > o.requestTimeoutMs) throw new Error('headersTimeoutMs must not exceed requestTimeoutMs')
  const handle = app.callback()
  // Problems answered here, before the app, name their types where the app serves them.
  const base = app.affordance?.settings.basePath ?? ''
  // Node would refuse a missing Host with a bare 400; we refuse it ourselves, with a problem.
  const server = createServer({
    requireHostHeader: false,
    headersTimeout: o.headersTimeoutMs,
    requestTimeout: o.requestTimeoutMs,
    // Node looks for expired requests this often; its 30 s default would stretch a short timeout.
    connectionsCheckingInterval: Math.min(1000, o.headersTimeoutMs),
  }, (req, res) => {
    if (req.httpVersion !== '1.1' || req.headers.host !== undefined) return handle(req, res)
    const id = requestIdOf(req.headers['x-request-id'])
    const body = JSON.stringify(problemDocument(missingHost, '/', base, id))
    res.writeHead(400, { 'Content-Type': problemMediaType, 'Content-Length': Buffer.byteLength(body), ...ALWAYS, 'X-Request-Id': id, Connection: 'close' }).end(body)
  })
  // A client may half-close once its request is sent (HTTP/1.0 style): its answer is still
  // written, then the connection ends. (Node's default ends it at once, dropping any answer
  // not yet ready, which is every answer that waits for a server database.)
  ;(server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true
  server.maxConnections = o.maxConnections
  server.on('clientError', (error: Error, socket: Duplex) => answerClientError(error, socket, base))
  // Without a listener Node drops a CONNECT silently; we do not tunnel, and say so.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.end(rawProblem(problem('not-implemented', 'The method CONNECT is not implemented by this server.'), base))
  })
  return server
}
