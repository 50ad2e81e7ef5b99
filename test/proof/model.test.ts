import fc from 'fast-check'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { demoUsers } from '../../src/resources/index.ts'
import { actionKeys, pathTo } from '../helpers/machines.ts'
import { expectTransition, invalidInput, modelActions, modelCanCreate, modelCanSee, modelTypes, userOf, validInput, type ModelResource, type Precondition } from '../helpers/fsm-model.ts'
import { startServer, type Reply, type TestServer } from '../helpers/server.ts'

// Model-based: random sequences of creates, legal and illegal actions, idempotent retries, fresh, stale,
// missing and wildcard If-Match, by every kind of caller, over several resources of
// both types; after every step the server must agree with the model on the status,
// the state, the version and the action links it shows.
const test = suite('model-based')
const RUNS = process.env.DEEP === '1' ? 10_000 : 1_000
let server: TestServer

test.before(async () => { server = await startServer() })
test.after(async () => { await server.close() })

/** The last request sent with an Idempotency-Key, and what it got, so that a retry can be checked against it. */
interface Keyed { readonly path: string; readonly actor: string; readonly key: string; readonly json: unknown; readonly headers: Record<string, string>; readonly status: number; readonly text: string; readonly resource: ModelResource }
interface Model { readonly resources: ModelResource[]; lastKeyed?: Keyed }
let keys = 0
interface Real { readonly server: TestServer }

const keysOf = (names: readonly string[]): string[] => names.map((n) => `${n.replaceAll('-', '_')}_url`).sort()
const versionOf = (reply: Reply): number => Number(/^"(\d+)-/.exec(reply.headers.get('etag') ?? '')?.[1])

/** The reply shows the model's state, version and, for `user`, exactly the model's action links. */
function agrees(r: ModelResource, reply: Reply, user: string, what: string, status = 200): void {
  assert.is(reply.status, status, `${what}: ${reply.text}`)
  assert.is(reply.json.data[r.type.stateField], r.state, `${what}: state`)
  assert.is(versionOf(reply), r.version, `${what}: version`)
  assert.equal(actionKeys(reply.json, r.type.machine), keysOf(modelActions(r, userOf(user))), `${what}: links for ${user}`)
  r.tags.set(r.version, reply.headers.get('etag') as string)
}

/** Reads the resource back as `user` when they may see it, else as its tenant's admin, and compares. */
async function lookAgain(real: Real, r: ModelResource, user: string, what: string): Promise<void> {
  const reader = modelCanSee(r, userOf(user)) ? user : `${r.tenant}-admin`
  agrees(r, await real.server.request('GET', r.url, { as: reader }), reader, `${what}, read back as ${reader}`)
}

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T
const actors = [...demoUsers.filter((u) => u.tenant === 'north').map((u) => u.id), 'south-admin']

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(readonly typeIndex: number, readonly actor: string, readonly example: number) {}
  check = (): boolean => true
  async run(m: Model, real: Real): Promise<void> {
    const type = pick(modelTypes, this.typeIndex)
    const data = pick(type.examples ?? [], this.example)
    const reply = await real.server.request('POST', `/${type.collection}`, { as: this.actor, json: data })
    if (!modelCanCreate(type, userOf(this.actor))) {
      assert.is(reply.status, 403, `${this.toString()}: ${reply.text}`)
      return
    }
    assert.is(reply.status, 201, `${this.toString()}: ${reply.text}`)
    const r: ModelResource = { type, url: reply.headers.get('location') as string, tenant: userOf(this.actor).tenant, owner: this.actor, state: type.machine.initial, version: 1, data: { ...data }, log: ['create'], tags: new Map() }
    agrees(r, reply, this.actor, this.toString(), 201)
    m.resources.push(r)
  }
  toString = (): string => `create ${pick(modelTypes, this.typeIndex).name} as ${this.actor}`
}

class Act implements fc.AsyncCommand<Model, Real> {
  constructor(readonly resource: number, readonly action: number, readonly actor: string, readonly pre: Precondition, readonly valid: boolean, readonly clinician: string, readonly keyed = false) {}
  check = (m: Readonly<Model>): boolean => m.resources.length > 0
  async run(m: Model, real: Real): Promise<void> {
    const r = pick(m.resources, this.resource)
    const action = pick(r.type.machine.actions, this.action).name
    const what = `${this.toString()} on ${r.url} (${r.state} v${r.version})`
    const tag = { fresh: r.tags.get(r.version), stale: r.tags.get(r.version - 1) ?? '"0-j0"', star: '*', none: undefined }[this.pre]
    // A clinician of the actor's tenant: the only ones an assign admits (another tenant's resource is a 404 first).
    const clinician = this.clinician.replace(/^[a-z]+-/, `${userOf(this.actor).tenant}-`)
    const input = this.valid ? validInput(r, action, clinician) : invalidInput(r, action)
    const headers: Record<string, string> = { ...(tag !== undefined && { 'if-match': tag }), ...(this.keyed && { 'idempotency-key': `"model-${++keys}"` }) }
    const reply = await real.server.request('POST', `${r.url}/${action}`, { as: this.actor, json: input, headers })
    if (this.keyed) m.lastKeyed = { path: `${r.url}/${action}`, actor: this.actor, key: headers['idempotency-key'] as string, json: input, headers, status: reply.status, text: reply.text, resource: r }
    const expected = expectTransition(r, action, userOf(this.actor), this.pre, this.valid)
    assert.is(reply.status, expected.status, `${what}: ${reply.text}`)
    if (expected.status === 200) {
      r.state = expected.to
      r.version += 1
      Object.assign(r.data, input)
      r.log.push(action)
      agrees(r, reply, this.actor, what)
      return
    }
    if (expected.status === 409) {
      assert.is(reply.json.current_state, r.state, `${what}: current_state`)
      assert.equal([...reply.json.allowed_actions].sort(), modelActions(r, userOf(this.actor)), `${what}: allowed_actions`)
    }
    if (expected.status === 412) assert.is(reply.json.current_version, r.version, `${what}: current_version`)
    await lookAgain(real, r, this.actor, what)
  }
  toString = (): string => `act #${this.action} as ${this.actor} (${this.pre}${this.valid ? '' : ', invalid input'}${this.keyed ? ', keyed' : ''}) on resource #${this.resource}`
}

/**
 * Sends the last keyed request again, byte for byte: a success replays exactly and changes
 * nothing (even though its If-Match is stale by now); a refusal stored nothing, so it is refused again.
 */
class Retry implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>): boolean => m.lastKeyed !== undefined
  async run(m: Model, real: Real): Promise<void> {
    const k = m.lastKeyed as Keyed
    const reply = await real.server.request('POST', k.path, { as: k.actor, json: k.json, headers: k.headers })
    const what = `${this.toString()} ${k.key} → first ${k.status}`
    if (k.status >= 200 && k.status < 300) {
      assert.is(reply.status, k.status, what)
      assert.is(reply.text, k.text, `${what}: byte-identical replay`)
      assert.is(reply.headers.get('idempotent-replayed'), 'true', what)
    } else {
      // A refusal stored nothing; the retry is judged afresh and is refused again (the resource can only have moved on since).
      assert.ok(reply.status >= 400 && reply.status < 500, `${what}: got ${reply.status}`)
      assert.is(reply.headers.get('idempotent-replayed'), null, `${what}: a refusal is not replayed`)
    }
    await lookAgain(real, k.resource, k.actor, what)
  }
  toString = (): string => 'retry the last keyed request'
}

/** Takes an action the model says is legal, by a caller the model says may take it: it drives resources deep into their machines. */
class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly resource: number, readonly choice: number, readonly pre: 'fresh' | 'star', readonly clinician: string) {}
  check = (m: Readonly<Model>): boolean => m.resources.length > 0
  async run(m: Model, real: Real): Promise<void> {
    const r = pick(m.resources, this.resource)
    const legal = modelActions(r, userOf(`${r.tenant}-admin`))
    if (legal.length === 0) return new Look(this.resource, r.owner).run(m, real)
    const action = pick(legal, this.choice)
    const able = actors.filter((a) => modelCanSee(r, userOf(a)) && modelActions(r, userOf(a)).includes(action))
    const index = r.type.machine.actions.findIndex((a) => a.name === action)
    return new Act(this.resource, index, pick(able, this.choice >> 2), this.pre, true, this.clinician).run(m, real)
  }
  toString = (): string => `advance resource #${this.resource} by legal choice #${this.choice} (${this.pre})`
}

class Look implements fc.AsyncCommand<Model, Real> {
  constructor(readonly resource: number, readonly actor: string) {}
  check = (m: Readonly<Model>): boolean => m.resources.length > 0
  async run(m: Model, real: Real): Promise<void> {
    const r = pick(m.resources, this.resource)
    const reply = await real.server.request('GET', r.url, { as: this.actor })
    if (!modelCanSee(r, userOf(this.actor))) assert.is(reply.status, 404, `${this.toString()}: ${reply.text}`)
    else agrees(r, reply, this.actor, this.toString())
  }
  toString = (): string => `look at resource #${this.resource} as ${this.actor}`
}

const actor = fc.constantFrom(...actors)
const commands = [
  fc.tuple(fc.nat(1), actor, fc.nat(2)).map(([t, a, e]) => new Create(t, a, e)),
  fc.tuple(fc.nat(7), fc.nat(5), actor, fc.constantFrom<Precondition>('fresh', 'fresh', 'fresh', 'stale', 'none', 'star'), fc.boolean(), fc.constantFrom('north-clinician-1', 'north-clinician-2'))
    .map(([r, a, u, p, v, c]) => new Act(r, a, u, p, v || r % 3 !== 0, c)),
  fc.tuple(fc.nat(7), actor).map(([r, a]) => new Look(r, a)),
  fc.tuple(fc.nat(7), fc.nat(5), actor, fc.constantFrom<Precondition>('fresh', 'fresh', 'stale'), fc.constantFrom('north-clinician-1', 'north-clinician-2'))
    .map(([r, a, u, p, c]) => new Act(r, a, u, p, true, c, true)),
  fc.constant(new Retry()),
  fc.tuple(fc.nat(7), fc.nat(63), fc.constantFrom<'fresh' | 'star'>('fresh', 'fresh', 'star'), fc.constantFrom('north-clinician-1', 'north-clinician-2'))
    .map(([r, c, p, k]) => new Advance(r, c, p, k)),
  fc.tuple(fc.nat(7), fc.nat(63), fc.constantFrom<'fresh' | 'star'>('fresh'), fc.constantFrom('north-clinician-1', 'north-clinician-2'))
    .map(([r, c, p, k]) => new Advance(r, c, p, k)),
]

const models: Model[] = []

/** After a run: each resource's history is the model's log, chained state to state, one row per version. */
async function historiesAgree(model: Model): Promise<void> {
  for (const r of model.resources) {
    const h = await server.request('GET', `${r.url}/history`, { as: `${r.tenant}-admin` })
    const rows = h.json.items as { action: string; from: string | null; to: string }[]
    assert.equal(rows.map((row) => row.action), r.log, `history of ${r.url}`)
    assert.is(rows.length, r.version, `${r.url}: one history row per version`)
    rows.forEach((row, i) => assert.is(row.from, i === 0 ? null : rows[i - 1]?.to, `${r.url}: history chains`))
  }
}

/** Each run starts with fresh resources of its own: a north reader's bookmark and a visit, each driven to a chosen state. */
async function setup(start: readonly [string, string], clinician: string): Promise<{ model: Model; real: Real }> {
  const model: Model = { resources: [] }
  models.push(model)
  const real = { server }
  for (const [i, type] of modelTypes.entries()) {
    await new Create(i, i === 0 ? 'north-reader' : 'north-dispatcher', 0).run(model, real)
    for (const edge of pathTo(type.machine, start[i] as string)) {
      await new Act(i, type.machine.actions.findIndex((a) => a.name === edge.action), 'north-admin', 'fresh', true, clinician).run(model, real)
    }
  }
  return { model, real }
}

const starts = fc.tuple(fc.constantFrom(...modelTypes[0].machine.states), fc.constantFrom(...modelTypes[1].machine.states))

test(`${RUNS} random command sequences: the server agrees with the model at every step`, async () => {
  const property = fc.asyncProperty(starts, fc.constantFrom('north-clinician-1', 'north-clinician-2'), fc.commands(commands, { maxCommands: 8, size: 'max' }),
    async (start, clinician, cmds) => {
      models.length = 0
      await fc.asyncModelRun(() => setup(start, clinician), cmds)
      for (const model of models) await historiesAgree(model)
    })
  await fc.assert(property, { numRuns: RUNS, includeErrorInReport: true })
})

test.run()
