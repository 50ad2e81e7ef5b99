import { bearerChallenge, hashToken, issueToken } from '../../auth/bearer.ts'
import { renderSessionPage } from '../../../representors/html-session.ts'
import { clearedSessionCookie, readCookie, sessionCookie, sessionCookieName } from '../protocol/cookie.ts'
import type { DemoUser, Exchange } from '../graph/exchange.ts'
import { problemReply, type Reply } from '../reply/reply.ts'
import { isDemoDatabase } from '../../store/demo.ts'
import { after } from '../../awaitable.ts'
import type { Awaitable } from '../../store/types.ts'
import type { Handler } from './handler-kit.ts'
import { problem, type Problem } from '../reply/problem.ts'
import { fieldOf } from '../protocol/request-field.ts'
import { servedOverHttps } from '../protocol/same-origin.ts'

const headers = { Vary: 'Cookie', 'Cache-Control': 'no-store' }
const secure = servedOverHttps
const seeOther = (location: string, cookie: string): Reply => ({ status: 303, headers: { ...headers, Location: location, 'Set-Cookie': cookie } })
const field = (input: unknown, name: string): string | undefined => {
  const v = (typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[name] : undefined)
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined
}

// Demo users are offered only on a database made for a demo: never on one holding real data by accident.
const offered = new WeakMap<Exchange, readonly DemoUser[]>()
const fetchDemoUsers = (x: Exchange): Awaitable<readonly DemoUser[]> => {
  const users = x.app.demoUsers ?? []
  if (users.length === 0) return users
  return after(isDemoDatabase(x.app.store), (demo) => {
    const shown = demo ? users : []
    offered.set(x, shown)
    return shown
  })
}
const demoUsersOf = (x: Exchange): readonly DemoUser[] => offered.get(x) ?? []

/** Finds the token a sign-in form asks for: a fresh one for a picked demo user, or the one pasted. */
async function tokenFrom(x: Exchange): Promise<{ ok: true; token: string; maxAge?: number } | { ok: false; problem: Problem }> {
  const user = field(x.input, 'user')
  const pasted = field(x.input, 'token')
  if (user !== undefined) {
    const demo = await fetchDemoUsers(x)
    if (demo.length === 0) return { ok: false, problem: problem('validation-failed', 'This server offers no demo users (its database is not a demo one); paste a token instead.', { extensions: { issues: [{ path: '/user', keyword: 'enum', message: 'no demo users are offered' }] } }) }
    const found = demo.find((u) => u.id === user)
    if (found === undefined) return { ok: false, problem: problem('validation-failed', `There is no demo user "${user.slice(0, 100)}".`, { extensions: { issues: [{ path: '/user', keyword: 'enum', message: 'must be one of the demo users' }] } }) }
    const { now, sessionTtlMs } = x.app.settings
    const at = now()
    return { ok: true, token: await issueToken(x.app.store, found, at, { expiresAt: at + sessionTtlMs, session: true }), maxAge: Math.floor(sessionTtlMs / 1000) }
  }
  if (pasted !== undefined) {
    const result = await x.app.resolveToken(pasted)
    if (result.kind === 'principal') return { ok: true, token: pasted }
    const reason = result.kind === 'invalid' ? result.reason : 'The token is not known.'
    return { ok: false, problem: problem('unauthorized', reason, { headers: { 'WWW-Authenticate': bearerChallenge(reason) } }) }
  }
  return { ok: false, problem: problem('validation-failed', 'Pick a demo user ("user") or paste a token ("token").', { extensions: { issues: [{ path: '/token', keyword: 'required', message: 'is required' }] } }) }
}

/** Signing out ends the session: the token a sign-in issued is revoked; a pasted one, made elsewhere for other uses too, is left working. */
async function revokeSignIn(x: Exchange): Promise<void> {
  const token = readCookie(fieldOf(x.ctx, 'cookie'), sessionCookieName(secure(x), x.app.settings.basePath))
  if (token === undefined) return
  const hash = hashToken(token)
  if ((await x.app.store.tokenByHash(hash))?.session === true) await x.app.store.revokeToken(hash, x.app.settings.now())
}

/** `/session` and `/session/delete`: signing people in and out of the HTML explorer. */
export const session: Handler = {
  hooks: { contentTypesProvided: () => ['text/html'] },
  negotiate: (x) => {
    // A sign-in page exists only as HTML; a redirect after POST has no body, so any Accept will do there.
    const chosen = x.method === 'POST' ? 'text/html' : x.ctx.accepts('text/html')
    x.chosen = chosen === 'text/html' ? chosen : false
    return x.chosen !== false
  },
  validatorHeaders: () => headers,
  prepare: (x) => after(fetchDemoUsers(x), () => undefined),
  represent: (x) => ({ status: 200, type: 'text/html', headers, body: renderSessionPage(x.principal, demoUsersOf(x), x.app.settings.basePath) }),
  async process(x) {
    const base = x.app.settings.basePath
    if (x.route.name === 'delete') {
      await revokeSignIn(x)
      return seeOther(`${base}/session`, clearedSessionCookie(secure(x), base))
    }
    const admitted = x.app.signInLimiter?.take(`ip:${x.ctx.ip}`) ?? { ok: true }
    if (!admitted.ok) {
      const wait = String(admitted.retryAfterSeconds)
      return problemReply(problem('too-many-requests', `Too many sign-ins from your address; try again in ${wait} s.`, { headers: { 'Retry-After': wait }, extensions: { retry_after: admitted.retryAfterSeconds } }))
    }
    const found = await tokenFrom(x)
    return found.ok ? seeOther(`${base}/`, sessionCookie(found.token, secure(x), base, found.maxAge)) : problemReply(found.problem)
  },
}
