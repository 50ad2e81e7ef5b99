import { Writable } from 'node:stream'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createApp } from '../../src/index.ts'
import { bookmark } from '../../src/resources/index.ts'
import { loggerOf } from '../../src/ops/logger.ts'
import { captureLogger } from './capture.ts'

// LOG_LEVEL and LOG_FORMAT, for an embedded app as for the server; a logger of your own wins.
const test = suite('logger settings')

const sink = (): { stream: Writable; text: () => string } => {
  let text = ''
  return { stream: new Writable({ write(chunk: Buffer, _e, done) { text += chunk.toString(); done() } }), text: () => text }
}

test('an embedded app logs only what goes wrong unless asked: warn by default, LOG_LEVEL else', () => {
  assert.is(loggerOf({}, {}).level, 'warn')
  assert.is(loggerOf({}, { LOG_LEVEL: 'debug' }).level, 'debug')
  assert.is(loggerOf({ logLevel: 'silent' }, { LOG_LEVEL: 'debug' }).level, 'silent')
})

test('a level that does not exist is refused in one line', () => {
  assert.throws(() => loggerOf({}, { LOG_LEVEL: 'loud' }), /LOG_LEVEL "loud" is not one of fatal, error, warn, info, debug, trace, silent/)
  assert.throws(() => loggerOf({}, { LOG_FORMAT: 'xml' }), /LOG_FORMAT "xml" is not json or pretty/)
})

test('LOG_FORMAT=pretty writes lines for people, not JSON', () => {
  const out = sink()
  loggerOf({}, { LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }, out.stream as never).info({ route: '/x' }, 'request')
  assert.match(out.text(), /INFO.*request/)
  assert.throws(() => JSON.parse(out.text()))
})

test('JSON lines by default', () => {
  const out = sink()
  loggerOf({}, { LOG_LEVEL: 'info' }, out.stream as never).info('hello')
  assert.is((JSON.parse(out.text()) as { msg: string }).msg, 'hello')
})

test('createApp honours LOG_LEVEL, and takes a logger of its own', () => {
  const before = process.env.LOG_LEVEL
  process.env.LOG_LEVEL = 'debug'
  try {
    const app = createApp({ resources: [bookmark], database: ':memory:' })
    assert.is(app.logger.level, 'debug')
    app.close()
  } finally {
    if (before === undefined) delete process.env.LOG_LEVEL
    else process.env.LOG_LEVEL = before
  }
  const own = captureLogger('trace')
  const app = createApp({ resources: [bookmark], database: ':memory:', logger: own.logger })
  assert.is(app.logger, own.logger)
  app.close()
})

test.run()
