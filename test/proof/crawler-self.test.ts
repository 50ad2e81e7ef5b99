import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bookmark, visit } from '../../src/resources/index.ts'
import { crawlAsCaller } from '../helpers/caller-crawler.ts'
import { crawl } from '../helpers/crawler.ts'
import { examplesOf } from '../helpers/crawler-inputs.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

// The crawler must be able to fail: in front of the real app, a proxy makes the links lie.
type Rewrite = (link: string, path: string) => string

async function lyingServer(app: TestServer, rewrite: Rewrite): Promise<{ url: string; close: () => Promise<void> }> {
  const handle = app.app.callback()
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const setHeader = res.setHeader.bind(res)
    res.setHeader = (name, value) => setHeader(name, name.toLowerCase() === 'link' ? rewrite(String(value), req.url ?? '') : value)
    void handle(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

const exampleFor = examplesOf([visit, bookmark])

async function crawlThrough(server: TestServer, rewrite: Rewrite): Promise<string> {
  const liar = await lyingServer(server, rewrite)
  try {
    await crawl({ entry: `${liar.url}/`, accept: 'application/json', tokens: server.tokens, exampleFor, targets: [{ collection: 'visits', machine: 'visit-machine', users: ['north-dispatcher', 'north-admin'], createInput: String(visit.createSchema.$id) }] })
    return 'passed'
  } catch (e) {
    return (e as Error).message
  } finally {
    await liar.close()
  }
}

const test = suite('conformance crawler, against links that lie')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

test('honest links pass (the proxy alone changes nothing)', async () => {
  assert.is(await crawlThrough(server, (link) => link), 'passed')
})

test('a hidden legal action is caught: not offered, yet admitted', async () => {
  const hideCancel: Rewrite = (link) => link.split(', ').filter((l) => !l.includes('rel="cancel"')).join(', ')
  assert.match(await crawlThrough(server, hideCancel), /cancel not offered to .* yet answered 200/)
})

test('an advertised illegal action is caught: offered, yet refused', async () => {
  const offerMissed: Rewrite = (link, path) => (/^\/visits\/[^/]+$/.test(path) && !link.includes('rel="mark-missed"') ? `${link}, <${path}/mark-missed>; rel="mark-missed"; method="POST"` : link)
  assert.match(await crawlThrough(server, offerMissed), /409/)
})

test('an entry point offering a collection the caller may not list is caught', async () => {
  const offerVisits: Rewrite = (link, path) => (path === '/' ? `${link}, </visits>; rel="visits"` : link)
  const liar = await lyingServer(server, offerVisits)
  try {
    const machines = { visits: { machine: 'visit-machine', createInput: String(visit.createSchema.$id) } }
    const outcome = await crawlAsCaller({ base: liar.url, accept: 'application/json', user: 'north-reader', token: server.tokens['north-reader'], tenant: 'north', machines, exampleFor, reached: new Map(), itemsPerCollection: 1 })
      .then(() => 'passed', (e: unknown) => (e as Error).message)
    assert.match(outcome, /north-reader in application\/json: the link .*\/visits answered 403/)
  } finally {
    await liar.close()
  }
})

test.run()
