import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createRateLimiter, DEFAULT_RATE_LIMIT, rateLimitFromEnv } from '../../src/auth/rate-limit.ts'
import { startServer } from '../helpers/server.ts'

const test = suite('rate limit')

test('a bucket allows its capacity, then asks to wait until one token is back', () => {
  let now = 0
  const limiter = createRateLimiter({ capacity: 3, refillPerSecond: 0.5 }, () => now)
  for (let i = 0; i < 3; i++) assert.ok(limiter.take('a').ok)
  assert.equal(limiter.take('a'), { ok: false, retryAfterSeconds: 2 })
  now += 1000
  assert.equal(limiter.take('a'), { ok: false, retryAfterSeconds: 1 })
  now += 1000
  assert.ok(limiter.take('a').ok)
  assert.not.ok(limiter.take('a').ok)
})

test('buckets are per caller', () => {
  const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 1 }, () => 0)
  assert.ok(limiter.take('a').ok)
  assert.not.ok(limiter.take('a').ok)
  assert.ok(limiter.take('b').ok)
})

test('a bucket never holds more than its capacity', () => {
  let now = 0
  const limiter = createRateLimiter({ capacity: 2, refillPerSecond: 10 }, () => now)
  now += 60_000
  assert.ok(limiter.take('a').ok)
  assert.ok(limiter.take('a').ok)
  assert.not.ok(limiter.take('a').ok)
})

test('a nonsensical limit is refused at start-up', () => {
  assert.throws(() => createRateLimiter({ capacity: 0, refillPerSecond: 1 }, () => 0), /capacity/)
  assert.throws(() => createRateLimiter({ capacity: 5, refillPerSecond: 0 }, () => 0), /refillPerSecond/)
})

test('the environment overrides the default, or turns the limit off', () => {
  assert.equal(rateLimitFromEnv({}), DEFAULT_RATE_LIMIT)
  assert.equal(rateLimitFromEnv({ RATE_LIMIT_BURST: '20', RATE_LIMIT_PER_SECOND: '5' }), { capacity: 20, refillPerSecond: 5 })
  assert.is(rateLimitFromEnv({ RATE_LIMIT: 'off' }), false)
  assert.throws(() => rateLimitFromEnv({ RATE_LIMIT_BURST: 'lots' }), /not a positive number/)
})

test('over HTTP: 429 with Retry-After, per token; /health is exempt', async () => {
  let now = Date.now()
  const server = await startServer({ rateLimit: { capacity: 2, refillPerSecond: 0.25 }, now: () => now })
  try {
    const get = (as?: string) => server.request('GET', '/visits', as === undefined ? {} : { as })
    assert.is((await get('north-dispatcher')).status, 200)
    assert.is((await get('north-dispatcher')).status, 200)
    const refused = await get('north-dispatcher')
    assert.is(refused.status, 429)
    assert.is(refused.headers.get('retry-after'), '4')
    assert.is(refused.json.type, '/problems/too-many-requests')
    assert.is((await get('north-admin')).status, 200, 'another token has its own bucket')
    assert.is((await server.request('GET', '/health')).status, 200)
    now += 4000
    assert.is((await get('north-dispatcher')).status, 200, 'refilled after Retry-After')
    // Anonymous callers share their address's bucket.
    assert.is((await server.request('GET', '/')).status, 200)
    assert.is((await server.request('GET', '/')).status, 200)
    assert.is((await server.request('GET', '/')).status, 429)
  } finally {
    await server.close()
  }
})

test('callers not yet known draw from their address: bad tokens and unknown paths are limited too', async () => {
  const server = await startServer({ rateLimit: { capacity: 2, refillPerSecond: 0.001 } })
  try {
    assert.is((await server.request('GET', '/visits', { token: 'aff_nope' })).status, 401)
    assert.is((await server.request('GET', '/nothing/here')).status, 404)
    const refused = await server.request('GET', '/visits', { token: 'aff_nope_again' })
    assert.is(refused.status, 429, '401s and 404s spent the address bucket')
    assert.is((await server.request('GET', '/nothing/here')).status, 429)
    assert.is((await server.request('GET', '/visits', { as: 'north-dispatcher' })).status, 200, 'a known principal keeps a bucket of its own')
    assert.is((await server.request('GET', '/health')).status, 200)
  } finally {
    await server.close()
  }
})

test.run()
