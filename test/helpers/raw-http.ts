import { connect } from 'node:net'
import { checkResponse } from './contracts.ts'
import type { Reply } from './server.ts'

/** What a raw exchange produced: a parsed reply, or no reply at all (and why). */
export type RawOutcome = { readonly kind: 'reply'; readonly reply: Reply } | { readonly kind: 'none'; readonly reason: string }

function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const eol = body.indexOf('\r\n', at)
    if (eol < 0) break
    const size = parseInt(body.subarray(at, eol).toString('latin1'), 16)
    if (!Number.isFinite(size) || size === 0) break
    parts.push(body.subarray(eol + 2, eol + 2 + size))
    at = eol + 2 + size + 2
  }
  return Buffer.concat(parts)
}

/** Parses the first final (non-1xx) HTTP/1.1 response in `bytes`; undefined when there is none. */
export function parseResponse(bytes: Buffer): { status: number; headers: Headers; text: string } | undefined {
  // Skip interim responses (100 Continue): they carry no body.
  while (/^HTTP\/1\.[01] 1\d\d /.test(bytes.subarray(0, 16).toString('latin1'))) {
    const interim = bytes.indexOf('\r\n\r\n')
    if (interim < 0) return undefined
    bytes = bytes.subarray(interim + 4)
  }
  const end = bytes.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n')
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)
  if (m === null) return undefined
  const headers = new Headers()
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
  }
  let body = bytes.subarray(end + 4)
  const length = headers.get('content-length')
  if (headers.get('transfer-encoding')?.includes('chunked') === true) body = decodeChunked(body)
  else if (length !== null) body = body.subarray(0, Number(length))
  return { status: Number(m[1]), headers, text: body.toString('utf8') }
}

/**
 * Writes `request` as is to 127.0.0.1:`port`, half-closes, reads until the server
 * closes, and checks the first response against the problem contract.
 */
export function rawRequest(port: number, request: Buffer, label: string, timeoutMs = 10_000): Promise<RawOutcome> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      resolve({ kind: 'none', reason: `no complete answer within ${timeoutMs} ms` })
    }, timeoutMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => { /* a reset after the reply is read is fine; a missing reply is caught below */ })
    socket.on('close', () => {
      clearTimeout(timer)
      const parsed = parseResponse(Buffer.concat(chunks))
      if (parsed === undefined) {
        resolve({ kind: 'none', reason: 'the connection closed without a response' })
        return
      }
      let json: unknown
      try {
        if (/json/.test(parsed.headers.get('content-type') ?? '') && parsed.text !== '') json = JSON.parse(parsed.text)
      } catch {
        reject(new Error(`RAW ${label} → ${parsed.status}: the JSON body does not parse`))
        return
      }
      const reply: Reply = { ...parsed, json }
      try {
        checkResponse('RAW', label, reply)
        resolve({ kind: 'reply', reply })
      } catch (error) {
        reject(error as Error)
      }
    })
    socket.write(request, () => socket.end())
  })
}
