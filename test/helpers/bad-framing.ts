import type { BadRequest, Fixture } from './bad-request-types.ts'
import type { Random } from './random.ts'

// Requests fetch cannot send: broken framing, broken start lines, broken fields.
// They go over a raw socket, byte for byte.

const CRLF = '\r\n'
const body = '{"title":1}'

function lines(f: Fixture, rand: Random): [string, string] {
  const token = rand.chance(0.7) ? `Authorization: Bearer ${f.tokens['north-admin'] ?? ''}${CRLF}` : ''
  const target = rand.pick(['/bookmarks', '/visits', `${f.bookmark}/read`, `${f.visit}/cancel`])
  const head = `Host: 127.0.0.1${CRLF}${token}Content-Type: application/json${CRLF}`
  const cases: [string, string][] = [
    ['body shorter than Content-Length', `POST ${target} HTTP/1.1${CRLF}${head}Content-Length: ${body.length + 1 + rand.int(1000)}${CRLF}${CRLF}${body}`],
    ['body longer than Content-Length', `POST ${target} HTTP/1.1${CRLF}${head}Content-Length: ${1 + rand.int(body.length - 1)}${CRLF}Connection: close${CRLF}${CRLF}${body}`],
    ['two Content-Length fields', `POST ${target} HTTP/1.1${CRLF}${head}Content-Length: ${body.length}${CRLF}Content-Length: ${body.length + rand.int(3)}${CRLF}${CRLF}${body}`],
    ['a Content-Length list', `POST ${target} HTTP/1.1${CRLF}${head}Content-Length: ${body.length}, ${body.length}${CRLF}${CRLF}${body}`],
    ['a negative Content-Length', `POST ${target} HTTP/1.1${CRLF}${head}Content-Length: -${body.length}${CRLF}${CRLF}${body}`],
    ['a Content-Length past 2^53', `POST ${target} HTTP/1.1${CRLF}${head}Content-Length: 99999999999999999999${CRLF}${CRLF}${body}`],
    ['Content-Length and Transfer-Encoding', `POST ${target} HTTP/1.1${CRLF}${head}Content-Length: ${body.length}${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}${body.length.toString(16)}${CRLF}${body}${CRLF}0${CRLF}${CRLF}`],
    ['a chunk size that is not hex', `POST ${target} HTTP/1.1${CRLF}${head}Transfer-Encoding: chunked${CRLF}${CRLF}zz${CRLF}${body}${CRLF}0${CRLF}${CRLF}`],
    ['no last chunk', `POST ${target} HTTP/1.1${CRLF}${head}Transfer-Encoding: chunked${CRLF}${CRLF}${body.length.toString(16)}${CRLF}${body}${CRLF}`],
    ['a chunk longer than its size', `POST ${target} HTTP/1.1${CRLF}${head}Transfer-Encoding: chunked${CRLF}Connection: close${CRLF}${CRLF}2${CRLF}${body}${CRLF}0${CRLF}${CRLF}`],
    ['huge chunk extensions', `POST ${target} HTTP/1.1${CRLF}${head}Transfer-Encoding: chunked${CRLF}${CRLF}${body.length.toString(16)};${'x'.repeat(20_000)}${CRLF}${body}${CRLF}0${CRLF}${CRLF}`],
    ['an unknown transfer coding', `POST ${target} HTTP/1.1${CRLF}${head}Transfer-Encoding: gzip${CRLF}Connection: close${CRLF}${CRLF}${body}`],
    ['a chunked body that is not JSON', `POST ${target} HTTP/1.1${CRLF}${head}Transfer-Encoding: chunked${CRLF}Connection: close${CRLF}${CRLF}3${CRLF}{"a${CRLF}0${CRLF}${CRLF}`],
    ['an HTTP/2 start line', `GET / HTTP/2.0${CRLF}Host: a${CRLF}${CRLF}`],
    ['an HTTP/0.9 request', `GET /${CRLF}${CRLF}`],
    ['a start line with extra words', `GET / HTTP/1.1 extra${CRLF}Host: a${CRLF}${CRLF}`],
    ['two spaces in the start line', `GET  / HTTP/1.1${CRLF}Host: a${CRLF}${CRLF}`],
    ['a lowercase method', `get / HTTP/1.1${CRLF}Host: a${CRLF}Connection: close${CRLF}${CRLF}`],
    ['a method that is not a token', `G(E)T / HTTP/1.1${CRLF}Host: a${CRLF}${CRLF}`],
    ['CONNECT', `CONNECT 127.0.0.1:1 HTTP/1.1${CRLF}Host: 127.0.0.1:1${CRLF}${CRLF}`],
    ['TRACE', `TRACE / HTTP/1.1${CRLF}Host: a${CRLF}Connection: close${CRLF}${CRLF}`],
    ['bare LF line ends', `GET /health HTTP/1.1\nHost: a\nConnection: close\n\n`],
    ['a field without a colon', `GET / HTTP/1.1${CRLF}Host: a${CRLF}Nonsense${CRLF}${CRLF}`],
    ['a space before the colon', `GET / HTTP/1.1${CRLF}Host : a${CRLF}${CRLF}`],
    ['an obsolete line folding', `GET / HTTP/1.1${CRLF}Host: a${CRLF}X-A: b${CRLF} c${CRLF}${CRLF}`],
    ['NUL in a field value', `GET / HTTP/1.1${CRLF}Host: a${CRLF}X-A: b\u0000c${CRLF}${CRLF}`],
    ['NUL in the target', `GET /bookmarks\u0000 HTTP/1.1${CRLF}Host: a${CRLF}${CRLF}`],
    ['a raw space in the target', `GET /book marks HTTP/1.1${CRLF}Host: a${CRLF}${CRLF}`],
    ['raw UTF-8 in the target', `GET /bookmarks/\u00c3\u00a9 HTTP/1.1${CRLF}Host: a${CRLF}Connection: close${CRLF}${CRLF}`],
    ['dot segments in the target', `GET /visits/../bookmarks/./ HTTP/1.1${CRLF}${head}Connection: close${CRLF}${CRLF}`],
    ['an absolute-form target', `POST http://127.0.0.1${target} HTTP/1.1${CRLF}${head}Content-Length: ${body.length}${CRLF}Connection: close${CRLF}${CRLF}${body}`],
    ['an asterisk-form target', `OPTIONS * HTTP/1.1${CRLF}Host: a${CRLF}Connection: close${CRLF}${CRLF}`],
    ['a target over the size limit', `GET /${'a'.repeat(16_500 + rand.int(10_000))} HTTP/1.1${CRLF}Host: a${CRLF}${CRLF}`],
    ['a target over the URI limit', `GET /bookmarks?x=${'a'.repeat(8200 + rand.int(6000))} HTTP/1.1${CRLF}${head}Connection: close${CRLF}${CRLF}`],
    ['header fields over the limit', `GET / HTTP/1.1${CRLF}Host: a${CRLF}${`X-A: ${'b'.repeat(1000)}${CRLF}`.repeat(17 + rand.int(20))}${CRLF}`],
    ['no Host', `POST ${target} HTTP/1.1${CRLF}Content-Length: ${body.length}${CRLF}Connection: close${CRLF}${CRLF}${body}`],
    ['two Host fields', `GET / HTTP/1.1${CRLF}Host: a${CRLF}Host: b${CRLF}Connection: close${CRLF}${CRLF}`],
    ['HTTP/1.0 with a body', `POST ${target} HTTP/1.0${CRLF}${head}Content-Length: ${body.length}${CRLF}${CRLF}${body}`],
    ['Expect: 100-continue and no body', `POST ${target} HTTP/1.1${CRLF}${head}Expect: 100-continue${CRLF}Content-Length: ${body.length}${CRLF}${CRLF}`],
    ['a body on GET', `GET ${f.bookmark} HTTP/1.1${CRLF}${head}Content-Length: ${body.length}${CRLF}Connection: close${CRLF}${CRLF}${body}`],
  ]
  return rand.pick(cases)
}

/** A request with malformed framing, for a raw socket. */
export function framingRequest(f: Fixture, rand: Random): BadRequest {
  const [label, text] = lines(f, rand)
  return { via: 'raw', method: /^\S*/.exec(text)?.[0] ?? '', bytes: Buffer.from(text, 'latin1'), label: `raw: ${label}` }
}
