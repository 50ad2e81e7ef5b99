// Run as its own process: counts WebAssembly instances made by importing the library, then by
// the first SVG diagram an app serves. Prints `{ atImport, afterSvg, status, svg }` as JSON.
import { mkdtempSync, rmSync } from 'node:fs'
import { get } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let made = 0
const { instantiate } = WebAssembly
WebAssembly.instantiate = ((...args: Parameters<typeof instantiate>) => {
  made++
  return instantiate.apply(WebAssembly, args)
}) as typeof instantiate
const { Instance } = WebAssembly
WebAssembly.Instance = new Proxy(Instance, { construct: (target, args) => (made++, Reflect.construct(target, args)) })

const { createApp, createHttpServer } = await import('../../src/index.ts')
const { bookmark } = await import('../../src/resources/index.ts')
const atImport = made
const dir = mkdtempSync(join(tmpdir(), 'affordance-svg-'))
const app = createApp({ resources: [bookmark], database: join(dir, 'svg.db'), rateLimit: false })
const server = createHttpServer(app)
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
// node:http rather than fetch, whose parser is WebAssembly of its own.
const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
  get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/machines/bookmark', headers: { accept: 'image/svg+xml' } }, (res) => {
    let text = ''
    res.setEncoding('utf8').on('data', (chunk: string) => { text += chunk }).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
  }).on('error', reject)
})
server.close()
app.close()
rmSync(dir, { recursive: true, force: true })
console.log(JSON.stringify({ atImport, afterSvg: made, status, svg: body.includes('<svg') }))
