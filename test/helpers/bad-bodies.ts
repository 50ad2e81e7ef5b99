import type { Random } from './random.ts'

// Request bodies that a given endpoint must refuse (400, 413, 415 or 422), each
// one defective on purpose, so that none of them may change the database.

/** What a body is sent to: a create (with its valid example) or an action (with its input's required fields). */
export interface Target {
  readonly path: string
  /** A valid body, broken before sending. */
  readonly example: Readonly<Record<string, unknown>>
  /** Whether `{}` or no body at all is refused here (true unless the action takes no input). */
  readonly emptyRefused: boolean
}

const brokenJson = [
  '{', '}', '[', '{"a":', '{"a":1', '{"a":1}}', "{'a':1}", '{a:1}', '[1,2,', '{"a":1,}', '[1,]', 'NaN', 'undefined', '{"a":01}',
  '{"a":.5}', '{"a":1e}', '{"a":"\\x"}', '{"a":"\\u12"}', '{"a":"line\nbreak"}', '{"a":"tab\there"}', '"unterminated', '{"a" 1}',
  '{"a":1 "b":2}', '[]]', '{"a":true false}', '// comment\n{}', '{"a":Infinity}', '\u0000{}', '{}\u0000', 'nul\u0000l',
]

// Every field of the demo schemas is a string or a number: none of these fits any of them.
const wrongValues: readonly unknown[] = [null, true, false, [], ['x'], {}, { a: 1 }, [[[]]], [null]]

const protoBodies = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"}}',
  '{"a":{"__proto__":{"polluted":"yes"}},"__proto__":[1]}',
  '[{"__proto__":{"polluted":"yes"}}]',
  '{"__proto__":null,"constructor":null}',
]

/** A nested array or object `depth` levels deep, as text. */
function nested(depth: number, rand: Random): string {
  const open = Array.from({ length: depth }, () => (rand.chance(0.5) ? '[' : '{"a":'))
  const close = open.map((o) => (o === '[' ? ']' : '}')).reverse()
  return open.join('') + '1' + close.join('')
}

/** The example with one defect: a required field of the wrong type or missing, or an unknown field. */
function wrongTypes(t: Target, rand: Random): string {
  const body: Record<string, unknown> = { ...t.example }
  const keys = Object.keys(body)
  const key = keys.length > 0 ? rand.pick(keys) : undefined
  const mode = key === undefined ? 2 : rand.int(3)
  if (mode === 0 && key !== undefined) body[key] = rand.pick(wrongValues)
  if (mode === 1 && key !== undefined) delete body[key]
  // A missing field is no defect where the schema asks for nothing; an unknown one always is.
  if (mode === 0 || (mode === 1 && t.emptyRefused)) return JSON.stringify(body)
  // Written as text: assigning `__proto__` to an object would set its prototype, not add a key.
  const unknown = `"${rand.pick(['unknown', '__proto__', 'constructor', 'prototype', 'toString', 'id', 'status', 'read_status', 'version'])}":${JSON.stringify(rand.pick(wrongValues))}`
  const text = JSON.stringify(body)
  return text === '{}' ? `{${unknown}}` : `{${unknown},${text.slice(1)}`
}

/** A body in an encoding other than strict UTF-8, or UTF-8 with bytes that do not belong. */
function oddEncoding(text: string, rand: Random): Buffer {
  const utf8 = Buffer.from(text, 'utf8')
  switch (rand.int(7)) {
    case 0: return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    case 1: return Buffer.from(text, 'utf16le').swap16()
    case 2: return Buffer.concat([utf8.subarray(0, 2), Buffer.from([0xc0, 0xaf]), utf8.subarray(2)])
    case 3: return Buffer.concat([utf8.subarray(0, 2), Buffer.from([0xed, 0xa0, 0x80]), utf8.subarray(2)])
    case 4: return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8])
    case 5: return Buffer.concat([utf8.subarray(0, 3), Buffer.from([0]), utf8.subarray(3)])
    default: return Buffer.from(Buffer.from(text, 'latin1').map((b) => (b === 0x61 ? 0xe9 : b)))
  }
}

/** One body the target must refuse, with the content type to label it with and a name for reports. */
export function badBody(t: Target, rand: Random): { body: Buffer; type: string; label: string } {
  const json = 'application/json'
  switch (rand.int(10)) {
    case 0: return { body: Buffer.from(rand.pick(brokenJson)), type: json, label: 'broken JSON' }
    case 1: {
      const depth = rand.chance(0.5) ? 33 + rand.int(5000) : 2 + rand.int(31)
      return { body: Buffer.from(nested(depth, rand)), type: json, label: `JSON nested ${depth} deep` }
    }
    case 2: return { body: Buffer.from(wrongTypes(t, rand)), type: json, label: 'wrong types' }
    case 3: {
      const size = rand.chance(0.8) ? 64 * 1024 + 1 + rand.int(1000) : 200 * 1024 + rand.int(100 * 1024)
      return { body: Buffer.from(`{"title":"${'x'.repeat(size)}"}`), type: json, label: `huge body (${size} bytes)` }
    }
    case 4: {
      const bodies = t.emptyRefused ? ['', '{}', '[]', 'null', '""', '0', 'true', ' '] : ['[]', 'null', '""', '0', 'true', '{"":""}']
      return { body: Buffer.from(rand.pick(bodies)), type: json, label: 'empty or scalar body' }
    }
    case 5: return { body: Buffer.from(rand.pick(protoBodies)), type: json, label: 'prototype keys' }
    case 6: {
      const forms = ['__proto__[polluted]=yes', 'constructor[prototype][polluted]=yes', '__proto__.polluted=yes&title=x', 'a=1&a=2', 'title=%E0%A4%A', 'title=%ZZ', '%00=%00', `prototype=${'x'.repeat(100)}`, '_if_match=garbage&unknown=1', '_if_match=%221-j0%22&_if_match=x', 'lat=abc&lon=1e400&unknown=1']
      return { body: Buffer.from(rand.pick(forms)), type: 'application/x-www-form-urlencoded', label: 'odd form' }
    }
    case 7: return { body: oddEncoding(wrongTypes(t, rand), rand), type: rand.pick([json, `${json}; charset=utf-16`, `${json}; charset=latin1`]), label: 'odd encoding' }
    case 8: {
      const types = ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json-seq', 'application/octet-stream', 'image/png', 'application/jsonx', 'json', '*/*', ';;;', 'application/', 'text/html; charset=utf-8']
      return { body: Buffer.from(JSON.stringify(t.example)), type: rand.pick(types), label: 'wrong content type' }
    }
    default: return { body: Buffer.from(`{"a":${'['.repeat(33 + rand.int(100))}`), type: json, label: 'deep and broken JSON' }
  }
}
