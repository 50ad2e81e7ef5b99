import type { IncomingMessage } from 'node:http'
import getRawBody from 'raw-body'

/** What reading a request body found; `too-large` and `unreadable` are decided on later. */
export type RawBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'bytes'; readonly bytes: Buffer }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'timeout' }

/**
 * The Transfer-Encoding field when it names a coding other than chunked, which Node's
 * parser would let through and we would not undo (RFC 9112 §6.1: answer 501).
 */
export function unsupportedTransferCoding(req: IncomingMessage): string | undefined {
  const field = req.headers['transfer-encoding']
  if (field === undefined) return undefined
  return field.split(',').every((c) => c.trim().toLowerCase() === 'chunked') ? undefined : field
}

/** Whether the request's framing says a body follows (RFC 9112 §6.3). */
export const announcesBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')

/**
 * Reads the body up to `limit` bytes (raw-body checks Content-Length and the bytes that arrive),
 * giving up after `timeoutMs`: a body that never ends would otherwise hold its request open.
 */
export async function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<RawBody> {
  if (!announcesBody(req)) return { kind: 'none' }
  const length = req.headers['content-length']
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<RawBody>((resolve) => {
    timer = setTimeout(() => {
      req.pause()
      resolve({ kind: 'timeout' })
    }, timeoutMs)
  })
  try {
    return await Promise.race([read(req, limit, length), late])
  } finally {
    clearTimeout(timer)
  }
}

async function read(req: IncomingMessage, limit: number, length: string | undefined): Promise<RawBody> {
  try {
    const bytes = await getRawBody(req, { limit, ...(length !== undefined && { length }) })
    return bytes.length === 0 ? { kind: 'none' } : { kind: 'bytes', bytes }
  } catch (error) {
    const type = (error as { type?: string }).type
    if (type === 'entity.too.large') {
      req.resume()
      return { kind: 'too-large' }
    }
    return { kind: 'unreadable', reason: type === 'request.size.invalid' ? 'the body is shorter or longer than its Content-Length' : 'the body could not be read' }
  }
}

export type Parsed =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string }

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Decodes strict UTF-8; an invalid sequence is a malformed request, not a replacement character. */
function decodeUtf8(bytes: Buffer): Parsed {
  try {
    return { ok: true, value: decoder.decode(bytes) }
  } catch {
    return { ok: false, reason: 'the body is not valid UTF-8' }
  }
}

/** The deepest nesting of arrays and objects in a JSON text, without parsing it. */
export function jsonDepth(text: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) max = Math.max(max, ++depth)
    else if (c === 125 || c === 93) depth--
  }
  return max
}

/** Parses a JSON body, refusing invalid UTF-8, bad syntax and nesting deeper than `maxDepth`. */
export function parseJson(bytes: Buffer, maxDepth: number): Parsed {
  const text = decodeUtf8(bytes)
  if (!text.ok) return text
  const source = text.value as string
  if (jsonDepth(source) > maxDepth) return { ok: false, reason: `the JSON is nested deeper than ${maxDepth} levels` }
  try {
    return { ok: true, value: JSON.parse(source) as unknown }
  } catch (error) {
    return { ok: false, reason: `the body is not valid JSON: ${(error as Error).message.replace(/^JSON\.parse: /, '').slice(0, 120)}` }
  }
}

/**
 * Whether a body labelled as a form is JSON text, as `curl -d '{…}'` sends it: browsers and
 * URLSearchParams percent-encode `{` and `[`, so no real form starts with one.
 */
export function looksLikeJson(bytes: Buffer): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue
    return b === 0x7b || b === 0x5b
  }
  return false
}

/** The hint for JSON sent under another label. */
export const JSON_HINT = 'the body looks like JSON but is labelled as a form; did you mean Content-Type: application/json?'

/**
 * Parses an HTML form body into an object of strings: empty fields are left out, and a field
 * named twice is a malformed request. The fields' types are applied later (`formInput`).
 */
export function parseForm(bytes: Buffer): Parsed {
  const text = decodeUtf8(bytes)
  if (!text.ok) return text
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [key, raw] of new URLSearchParams(text.value as string)) {
    if (Object.hasOwn(out, key)) return { ok: false, reason: `the form field "${key}" appears twice` }
    if (raw !== '') out[key] = raw
  }
  return { ok: true, value: { ...out } }
}
