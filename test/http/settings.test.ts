import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { settingsOf } from '../../src/http/settings.ts'

// The first step of createApp, on its own: options, else the environment, else the defaults.
const test = suite('settings')

test('defaults, with an empty environment', () => {
  const s = settingsOf({}, {})
  assert.is(s.maintenance, false)
  assert.is(s.trace, false)
  assert.is(s.bodyTimeoutMs, 20_000)
  assert.is(s.sessionTtlMs, 12 * 3600 * 1000)
  assert.is(s.publicUrl, undefined)
  assert.is(s.maxBodyBytes, 64 * 1024)
})

test('the environment when no option says otherwise; an option wins', () => {
  const env = { MAINTENANCE: '1', AFFORDANCE_TRACE: 'true', BODY_TIMEOUT_MS: '5', SESSION_TTL_SECONDS: '60', PUBLIC_URL: 'https://api.example.org/' }
  const s = settingsOf({}, env)
  assert.equal([s.maintenance, s.trace, s.bodyTimeoutMs, s.sessionTtlMs, s.publicUrl], [true, true, 5, 60_000, 'https://api.example.org'])
  const o = settingsOf({ maintenance: false, trace: false, bodyTimeoutMs: 7, sessionTtlMs: 2000, publicUrl: 'http://localhost:3000' }, env)
  assert.equal([o.maintenance, o.trace, o.bodyTimeoutMs, o.sessionTtlMs, o.publicUrl], [false, false, 7, 2000, 'http://localhost:3000'])
})

test('nonsense stops the app before it starts', () => {
  assert.throws(() => settingsOf({}, { BODY_TIMEOUT_MS: '-1' }), /BODY_TIMEOUT_MS "-1"/)
  assert.throws(() => settingsOf({}, { SESSION_TTL_SECONDS: '0' }), /session lifetime/)
  assert.throws(() => settingsOf({}, { PUBLIC_URL: 'ftp://x/y' }), /PUBLIC_URL/)
})

test.run()
