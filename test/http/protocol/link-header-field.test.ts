import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { linkHeader } from '../../../src/http/protocol/link-header.ts'

const test = suite('Link field (pure)')

test('quoted strings escape quotes and backslashes, the same on every call (RFC 9110 §5.6.4)', () => {
  const links = [{ rel: 'collection', href: '/things', title: 'say "hi" \\ bye' }]
  const expected = '</things>; rel="collection"; title="say \\"hi\\" \\\\ bye"'
  assert.is(linkHeader(links, []), expected)
  assert.is(linkHeader(links, []), expected)
})

test('actions follow the links, with method="POST"', () => {
  const field = linkHeader([{ rel: 'self', href: '/a' }], [{ name: 'read', title: 'Mark as read', method: 'POST', href: '/a/read', contentType: 'application/json' }])
  assert.is(field, '</a>; rel="self", </a/read>; rel="read"; method="POST"; title="Mark as read"')
})

test.run()
