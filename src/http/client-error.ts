import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { problem, problemDocument, problemKinds, problemMediaType, type Problem } from './problem.ts'

/** Node's HTTP parser errors as problems (its own codes: `HPE_*`, `ERR_HTTP_REQUEST_TIMEOUT`). */
function problemOf(code: string | undefined): Problem {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return problem('header-fields-too-large', 'The request line and header fields are larger than this server accepts.')
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problem('content-too-large', 'The chunk extensions of the body are larger than this server accepts.')
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem('request-timeout', 'The request did not arrive in time.')
    default:
      return problem('malformed-request', 'The request is not valid HTTP/1.1 (start line, header fields or body framing); nothing was done.')
  }
}

/**
 * Answers a request Node's parser refused before the app could see it. Node's own
 * answer is a bare status line; every error we send must be a problem document.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A complete request before the bad bytes may still be running: its answer comes
  // first, or its client would read our 400 as the answer to a write that happened.
  // (When the bad bytes are that request's own body, it will never complete: answer now.)
  const current = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage
  if (current != null && current.req.complete && !current.writableFinished && error.code !== 'ECONNRESET') {
    current.once('finish', () => answerClientError(error, socket))
    current.once('close', () => { if (!current.writableFinished) socket.destroy() })
    return
  }
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const p = problemOf(error.code)
  const { status, title } = problemKinds[p.kind]
  const body = JSON.stringify(problemDocument(p, '/'))
  socket.end(`HTTP/1.1 ${status} ${title}\r\nContent-Type: ${problemMediaType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

const missingHost = problem('malformed-request', 'An HTTP/1.1 request must carry a Host header field (RFC 9112 §3.2).')

/** An HTTP server for an app whose malformed requests, too, get problem documents. */
export function createHttpServer(app: { callback(): RequestListener }): Server {
  const handle = app.callback()
  // Node would refuse a missing Host with a bare 400; we refuse it ourselves, with a problem.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    if (req.httpVersion !== '1.1' || req.headers.host !== undefined) return handle(req, res)
    const body = JSON.stringify(problemDocument(missingHost, '/'))
    res.writeHead(400, { 'Content-Type': problemMediaType, 'Content-Length': Buffer.byteLength(body), Connection: 'close' }).end(body)
  })
  server.on('clientError', answerClientError)
  // Without a listener Node drops a CONNECT silently; we do not tunnel, and say so.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    const body = JSON.stringify(problemDocument(problem('not-implemented', 'The method CONNECT is not implemented by this server.'), '/'))
    socket.end(`HTTP/1.1 501 Not Implemented\r\nContent-Type: ${problemMediaType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  })
  return server
}
