import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { edgesOf } from '../../../src/index.ts'
import { bookmark, visit } from '../../../src/resources/index.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

// GET /machines/{name}: one machine, three formats, chosen by Accept.
const test = suite('machines by Accept')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

for (const type of [bookmark, visit]) {
  const m = type.machine
  const path = `/machines/${m.name}`
  test(`${m.name} as JSON: states, actions and every edge`, async () => {
    const r = await server.request('GET', path, { headers: { accept: 'application/json' } })
    assert.is(r.status, 200)
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/)
    assert.equal(r.json.states, m.states)
    assert.is(r.json.initial, m.initial)
    assert.equal(r.json.actions.map((a: { name: string }) => a.name), m.actions.map((a) => a.name))
    assert.equal(r.json.edges, edgesOf(m))
  })
  test(`${m.name} as DOT (text/vnd.graphviz)`, async () => {
    const r = await server.request('GET', path, { headers: { accept: 'text/vnd.graphviz' } })
    assert.is(r.status, 200)
    assert.match(r.headers.get('content-type') ?? '', /^text\/vnd\.graphviz/)
    assert.ok(r.text.startsWith(`digraph "${m.name}" {`))
    for (const e of edgesOf(m)) assert.ok(r.text.includes(`"${e.from}" -> "${e.to}" [label="${e.action}"]`), `${e.from} -${e.action}-> ${e.to}`)
  })
  test(`${m.name} as Mermaid (text/vnd.mermaid)`, async () => {
    const r = await server.request('GET', path, { headers: { accept: 'text/vnd.mermaid' } })
    assert.is(r.status, 200)
    assert.match(r.headers.get('content-type') ?? '', /^text\/vnd\.mermaid/)
    assert.ok(r.text.startsWith('stateDiagram-v2'))
    for (const e of edgesOf(m)) assert.ok(r.text.includes(`${e.from} --> ${e.to}: ${e.action}`))
  })
}

test('no Accept gets JSON; quality values choose; each format has its own ETag and Vary: Accept', async () => {
  const plain = await server.request('GET', '/machines/visit')
  assert.match(plain.headers.get('content-type') ?? '', /^application\/json/)
  const q = await server.request('GET', '/machines/visit', { headers: { accept: 'application/json;q=0.5, text/vnd.mermaid' } })
  assert.match(q.headers.get('content-type') ?? '', /^text\/vnd\.mermaid/)
  assert.is.not(q.headers.get('etag'), plain.headers.get('etag'))
  assert.is(q.headers.get('vary'), 'Accept')
  const again = await server.request('GET', '/machines/visit', { headers: { accept: 'text/vnd.mermaid', 'if-none-match': q.headers.get('etag') as string } })
  assert.is(again.status, 304)
})

test('?state= highlights a state; an unknown state is 400; an unknown machine 404; image/png 406', async () => {
  const r = await server.request('GET', '/machines/visit?state=en_route', { headers: { accept: 'text/vnd.graphviz' } })
  assert.match(r.text, /"en_route" \[style="rounded,filled,bold"/)
  assert.is((await server.request('GET', '/machines/visit?state=flying')).status, 400)
  assert.is((await server.request('GET', '/machines/teapot')).status, 404)
  const png = await server.request('GET', '/machines/visit', { headers: { accept: 'image/png' } })
  assert.is(png.status, 406)
  assert.equal(png.json.available, ['application/json', 'text/vnd.graphviz', 'text/vnd.mermaid', 'image/svg+xml'])
})

test.run()
