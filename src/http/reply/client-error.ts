import type { ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { problem, problemDocument, problemKinds, problemMediaType, type Problem } from './problem.ts'
import { httpDate } from '../protocol/conditional.ts'
import { requestIdOf } from '../../ops/request-id.ts'

// A request line (RFC 9112 §3) whose method is any token: Node's parser knows only a fixed list.
const requestLine = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) [!-~]+ HTTP\/1\.[01]\r?\n/

/** The method of a well-formed request line Node's parser refused for its method alone. */
function unknownMethod(packet: Buffer | undefined): string | undefined {
  return packet === undefined ? undefined : requestLine.exec(packet.subarray(0, 16 * 1024).toString('latin1'))?.[1]
}

const echo = (method: string): string => (method.length > 32 ? `${method.slice(0, 32)}…` : method)

/** Node's HTTP parser errors as problems (its own codes: `HPE_*`, `ERR_HTTP_REQUEST_TIMEOUT`). */
function problemOf(code: string | undefined, packet: Buffer | undefined): Problem {
  const method = code === 'HPE_INVALID_METHOD' ? unknownMethod(packet) : undefined
  // Any token is a valid method (RFC 9110 §9.1): one we do not know is 501, not a framing error.
  if (method !== undefined) return problem('not-implemented', `The method ${echo(method)} is not implemented by this server.`)
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
export function answerClientError(error: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex, base = ''): void {
  // A complete request before the bad bytes may still be running: its answer comes
  // first, or its client would read our 400 as the answer to a write that happened.
  // (When the bad bytes are that request's own body, it will never complete: answer now.)
  const current = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage
  if (current != null && current.req.complete && !current.writableFinished && error.code !== 'ECONNRESET') {
    current.once('finish', () => answerClientError(error, socket, base))
    current.once('close', () => { if (!current.writableFinished) socket.destroy() })
    return
  }
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  socket.end(rawProblem(problemOf(error.code, error.rawPacket), base))
}

/** A whole response, for the socket: Node's response object is not there to add `Date` (RFC 9110 §6.6.1). Its type is under `base`, where the app is mounted. */
export function rawProblem(p: Problem, base = ''): string {
  const { status, title } = problemKinds[p.kind]
  // No header of the request can be trusted here: the id is always a new one.
  const id = requestIdOf(undefined)
  const body = JSON.stringify(problemDocument(p, '/', base, id))
  return `HTTP/1.1 ${status} ${title}\r\nDate: ${httpDate(Date.now())}\r\nContent-Type: ${problemMediaType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n${body}`
}
