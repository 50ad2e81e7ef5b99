import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { HOST_GREETING, HOST_MISSING, startMounted, type Host } from '../../helpers/mounted.ts'

// A plain node:http server and an Express app each serve the app under /api beside routes of their own.
for (const host of ['node', 'express'] as const satisfies readonly Host[]) {
  const test = suite(`mounted at /api in ${host === 'node' ? 'a node:http server' : 'an Express app'}`)

  test('create, a legal transition and a refused one, every URL under /api', async () => {
    const server = await startMounted(host)
    try {
      const auth = { authorization: `Bearer ${server.tokens['north-reader'] ?? ''}`, accept: 'application/json' }
      const entry = (await (await fetch(`${server.origin}/api/`, { headers: auth })).json()) as Record<string, string>
      assert.is(entry.bookmarks_url, '/api/bookmarks')
      const created = await fetch(`${server.origin}${entry.bookmarks_url}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ bookmark_url: 'https://example.org/', title: 'x' }) })
      assert.is(created.status, 201)
      const location = created.headers.get('location') ?? ''
      assert.match(location, /^\/api\/bookmarks\/[0-9a-f-]{36}$/)
      assert.is(created.headers.get('content-location'), location)
      assert.match(created.headers.get('link') ?? '', new RegExp(`<${location}/read>; rel="read"`))
      const body = (await created.json()) as Record<string, string>
      assert.is(body.url, location)
      assert.is(body.read_url, `${location}/read`)
      assert.is(body.history_url, `${location}/history`)
      const read = await fetch(`${server.origin}${body.read_url}`, { method: 'POST', headers: { ...auth, 'if-match': created.headers.get('etag') ?? '' } })
      assert.is(read.status, 200)
      const after = (await read.json()) as Record<string, unknown>
      assert.is((after.data as Record<string, unknown>).read_status, 'read')
      assert.is(after.reread_url, `${location}/reread`)
      const again = await fetch(`${server.origin}${body.read_url}`, { method: 'POST', headers: auth })
      assert.is(again.status, 409)
      const problem = (await again.json()) as Record<string, unknown>
      assert.is(problem.type, '/api/problems/illegal-transition')
      assert.is(problem.instance, `${location}/read`)
    } finally {
      await server.close()
    }
  })

  test('the host keeps its own routes; paths outside /api are the host\'s', async () => {
    const server = await startMounted(host)
    try {
      const hello = await fetch(`${server.origin}/hello`)
      assert.is(await hello.text(), HOST_GREETING)
      for (const path of ['/', '/bookmarks', '/apix/bookmarks']) {
        const res = await fetch(`${server.origin}${path}`)
        assert.is(res.status, 404, path)
        assert.is(await res.text(), HOST_MISSING, path)
      }
      const missing = await fetch(`${server.origin}/api/nothing`, { headers: { accept: 'application/json' } })
      assert.is(missing.status, 404)
      assert.is(((await missing.json()) as Record<string, unknown>).type, '/api/problems/not-found')
    } finally {
      await server.close()
    }
  })

  test.run()
}
