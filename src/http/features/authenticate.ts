import { authenticateBearer } from '../../auth/bearer.ts'
import { after } from '../../awaitable.ts'
import type { Awaitable } from '../../store/types.ts'
import { readCookie, sessionCookieName } from '../protocol/cookie.ts'
import { servedOverHttps } from '../protocol/same-origin.ts'
import { fieldOf } from '../protocol/request-field.ts'
import type { Exchange } from '../graph/exchange.ts'

/** Resolves the caller once, from the Authorization field, else from the sign-in cookie. */
export function authenticate(x: Exchange): Awaitable<void> {
  const header = fieldOf(x.ctx, 'authorization')
  const cookie = header === '' ? readCookie(fieldOf(x.ctx, 'cookie'), sessionCookieName(servedOverHttps(x), x.app.settings.basePath)) : undefined
  if (cookie !== undefined) x.viaCookie = true
  return after(cookie === undefined ? authenticateBearer(x.app.resolveToken, header) : x.app.resolveToken(cookie), (result) => {
    if (result.kind === 'principal') x.principal = result.principal
    if (result.kind === 'invalid') x.authError = cookie === undefined ? result.reason : `${result.reason} Sign in again at /session.`
  })
}
