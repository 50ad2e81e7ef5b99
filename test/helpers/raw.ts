import { request } from 'node:http'
import { checkResponse } from './contracts.ts'

/** A response as the bytes arrived, without fetch's tidying (it hides bodies on HEAD and 304). */
export interface RawReply {
  readonly status: number
  readonly headers: Headers
  readonly bytes: Buffer
  readonly text: string
  readonly json: unknown
}

export interface RawOptions {
  readonly headers?: Record<string, string>
  /** Sent as separate writes; with no Content-Length header the body goes chunked. */
  readonly chunks?: readonly (string | Uint8Array)[]
}

/** Sends one request with node:http and checks the response against the problem contract. */
export function rawRequest(base: string, method: string, path: string, o: RawOptions = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, headers: o.headers ?? {} }, (res) => {
      const parts: Buffer[] = []
      res.on('data', (c: Buffer) => parts.push(c))
      res.on('error', reject)
      res.on('end', () => {
        const headers = new Headers()
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v)
        const bytes = Buffer.concat(parts)
        const text = bytes.toString('utf8')
        const json: unknown = /json/.test(headers.get('content-type') ?? '') && text !== '' ? JSON.parse(text) : undefined
        const reply: RawReply = { status: res.statusCode ?? 0, headers, bytes, text, json }
        try {
          checkResponse(method, path, reply)
          resolve(reply)
        } catch (error) {
          reject(error as Error)
        }
      })
    })
    // The server may answer (413) before it has read everything; that is not a failure here.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)))
    for (const c of o.chunks ?? []) req.write(c)
    req.end()
  })
}
