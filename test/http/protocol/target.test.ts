import { connect } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ContractError, checkResponse } from '../../helpers/contracts.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// Request targets that Node passes on but that are not URIs: a 400 problem, never a crash.
const test = suite('request targets')
const logged: unknown[] = []
let server: TestServer
test.before(async () => { server = await startServer({ log: (e) => logged.push(e) }) })
test.after(async () => { await server.close() })

/** Writes a request line as is (fetch and node:http would refuse or rewrite these targets). */
function sendLine(method: string, target: string): Promise<{ status: number; headers: Headers; text: string; json: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () => socket.end(`${method} ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`))
    const parts: Buffer[] = []
    socket.on('data', (d: Buffer) => parts.push(d))
    socket.on('error', reject)
    socket.on('end', () => {
      const raw = Buffer.concat(parts).toString('utf8')
      const [head = '', text = ''] = raw.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers = new Headers(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string]))
      const json: unknown = /json/.test(headers.get('content-type') ?? '') ? JSON.parse(text) : undefined
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text, json })
    })
  })
}

for (const target of ['http://[::1/health', `http://[::1/${'a'.repeat(3000)}`]) {
  test(`GET ${target.slice(0, 24)}… → 400 problem`, async () => {
    const before = logged.length
    const r = await sendLine('GET', target)
    assert.is(r.status, 400)
    try { checkResponse('GET', target, r) } catch (error) { assert.unreachable((error as ContractError).message) }
    assert.is((r.json as { type: string }).type, '/problems/malformed-request')
    assert.is(logged.length, before, 'not an unexpected error')
  })
}

test('an absolute-form target that parses is served', async () => {
  const r = await sendLine('GET', 'http://localhost/health')
  assert.is(r.status, 200)
})

test.run()
