import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { visit } from '../../src/resources/index.ts'
import { inputFor, pathTo } from '../helpers/machines.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

// Generated: every demo role of tenant north × every visit action × every state.
// The expectation is written from the rules, not computed by the code under test.
const test = suite('visits: role × action × state')
let server: TestServer
test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

const ALL = visit.machine.actions.map((a) => a.name)
/** What each caller may do on a visit assigned to north-clinician-1, state permitting; undefined: may not see visits. */
const MAY: Readonly<Record<string, readonly string[] | undefined>> = {
  'north-dispatcher': ['assign', 'cancel', 'mark-missed'],
  'north-clinician-1': ['depart', 'check-in', 'check-out'],
  'north-clinician-2': [],
  'north-admin': ALL,
  'north-reader': undefined,
}
const key = (action: string): string => `${action.replaceAll('-', '_')}_url`

/** A visit in `state`, created and driven by the admin, assigned (when it gets that far) to north-clinician-1. */
async function visitIn(state: string): Promise<string> {
  const created = await server.request('POST', '/visits', { as: 'north-admin', json: inputFor(visit, 'create') })
  const url = created.headers.get('location') as string
  let etag = created.headers.get('etag') as string
  for (const e of pathTo(visit.machine, state)) {
    const json = e.action === 'assign' ? { clinician_id: 'north-clinician-1' } : inputFor(visit, e.action)
    const r = await server.request('POST', `${url}/${e.action}`, { as: 'north-admin', json, headers: { 'if-match': etag } })
    if (r.status !== 200) throw new Error(`${e.action}: ${r.status} ${r.text}`)
    etag = r.headers.get('etag') as string
  }
  return url
}

const probes = new Map<string, string>()
async function probe(state: string): Promise<string> {
  const known = probes.get(state)
  if (known !== undefined) return known
  const url = await visitIn(state)
  probes.set(state, url)
  return url
}

for (const state of visit.machine.states) {
  for (const [user, may] of Object.entries(MAY)) {
    for (const action of visit.machine.actions) {
      const stateAllows = action.from.includes(state)
      const expected = may === undefined ? 404 : !stateAllows ? 409 : may.includes(action.name) ? 200 : 403
      test(`${state} · ${user} · ${action.name} → ${expected}`, async () => {
        // A success changes the visit, so it gets a visit of its own; refusals share one.
        const url = expected === 200 ? await visitIn(state) : await probe(state)
        const seen = await server.request('GET', url, { as: user })
        const etag = (await server.request('GET', url, { as: 'north-admin' })).headers.get('etag') as string
        const shown = seen.status === 200 && key(action.name) in seen.json
        const r = await server.request('POST', `${url}/${action.name}`, { as: user, json: inputFor(visit, action.name), headers: { 'if-match': etag } })
        assert.is(r.status, expected, r.text)
        assert.is(shown, r.status >= 200 && r.status < 300, 'the link is shown exactly when the action succeeds')
        assert.is((seen.headers.get('link') ?? '').includes(`<${url}/${action.name}>`), shown, 'the Link header agrees with the body')
        if (may === undefined) {
          assert.is(seen.status, 404)
          return
        }
        if (expected !== 200) {
          assert.is(r.json.current_state, state)
          const offered = visit.machine.actions.map((a) => a.name).filter((n) => key(n) in seen.json)
          assert.equal(r.json.allowed_actions, offered, 'the problem names the actions the links offer')
          assert.is((await server.request('GET', url, { as: 'north-admin' })).headers.get('etag'), etag, 'nothing changed')
        }
      })
    }
  }
}

for (const [user, may] of Object.entries(MAY)) {
  const allowed = may !== undefined && may.includes('assign') && may.includes('cancel')
  test(`create · ${user} → ${allowed ? 201 : 403}, and create_url agrees`, async () => {
    const list = await server.request('GET', '/visits', { as: user })
    const r = await server.request('POST', '/visits', { as: user, json: inputFor(visit, 'create') })
    assert.is(r.status, allowed ? 201 : 403)
    assert.is(list.status === 200 && 'create_url' in list.json, allowed)
  })
}

test('every refusal left the shared visits untouched', async () => {
  for (const [state, url] of probes) {
    const h = await server.request('GET', `${url}/history`, { as: 'north-admin' })
    assert.is(h.json.items.length, pathTo(visit.machine, state).length + 1, state)
  }
})

test.run()
