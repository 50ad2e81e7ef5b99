import { authenticateBearer } from '../../auth/bearer.ts'
import { readCookie, sessionCookieName } from '../protocol/cookie.ts'
import { crossSiteReason, servedOverHttps } from '../protocol/same-origin.ts'
import type { Exchange, RouteKind } from './exchange.ts'
import { bodyTypes } from '../protocol/body-types.ts'
import { looksLikeJson } from '../protocol/body.ts'
import { handlerOf } from '../routes/handlers.ts'
import type { Hooks } from './hooks.ts'
import { fieldOf } from '../protocol/request-field.ts'
import { unknownParameters } from '../routes/query.ts'

/** Methods the framework implements; any other gets 501. */
export const knownMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

/** Routes anyone may read without a token. */
export const publicRoutes: ReadonlySet<RouteKind> = new Set(['none', 'entry', 'health', 'machine', 'schema', 'problem-type', 'session'])

/** Resolves the caller once, from the Authorization field, else from the sign-in cookie. */
export function authenticate(x: Exchange): void {
  const header = fieldOf(x.ctx, 'authorization')
  const cookie = header === '' ? readCookie(fieldOf(x.ctx, 'cookie'), sessionCookieName(servedOverHttps(x))) : undefined
  if (cookie !== undefined) x.viaCookie = true
  const result = cookie === undefined ? authenticateBearer(x.app.resolveToken, header) : x.app.resolveToken(cookie)
  if (result.kind === 'principal') x.principal = result.principal
  if (result.kind === 'invalid') x.authError = cookie === undefined ? result.reason : `${result.reason} Sign in again at /session.`
}

/** The body carries a content coding other than identity (RFC 9110 §8.4). */
export const hasContentCoding = (x: Exchange): boolean => {
  const coding = fieldOf(x.ctx, 'content-encoding').trim().toLowerCase()
  return coding !== '' && coding !== 'identity'
}

const hasRole = (x: Exchange, roles: readonly string[]): boolean => x.principal?.roles.some((r) => roles.includes(r)) ?? false

/** The default answer of every overridable decision, one line each. */
export const defaultHooks: Hooks = {
  // Available unless in maintenance; /health always answers.
  serviceAvailable: (x) => !x.app.settings.maintenance || x.route.kind === 'health',
  // GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.
  knownMethods: () => knownMethods,
  // Public routes need nothing; the rest need a valid bearer token.
  authorized: (x) => (publicRoutes.has(x.route.kind) ? true : x.principal !== undefined && x.authError === undefined),
  // Listing needs a viewing role; creating needs a creating role.
  forbidden: (x) => {
    // Cookie-authenticated unsafe requests (and sign-ins) must come from our own pages.
    const crossSite = crossSiteReason(x)
    if (crossSite !== undefined) return crossSite
    const policy = x.route.entry?.type.policy
    if (policy === undefined || x.route.kind !== 'collection') return false
    if (x.method === 'POST') return hasRole(x, policy.create) ? false : `Your roles may not create a ${x.route.entry?.type.name ?? 'resource'}.`
    return hasRole(x, policy.view) ? false : `Your roles may not list ${x.route.entry?.type.collection ?? 'these'}.`
  },
  // A body that did not parse, a query parameter the route does not read, or one it cannot read.
  malformed: (x) => x.malformed ?? unknownParameters(x) ?? handlerOf(x).malformedQuery?.(x),
  // A body must be JSON or an HTML form, with no content coding.
  validContentHeaders: (x) => {
    if (x.raw?.kind !== 'bytes') return undefined
    if (hasContentCoding(x)) return `Content-Encoding "${fieldOf(x.ctx, 'content-encoding').slice(0, 64)}" is not supported; send the body uncompressed.`
    if (x.ctx.request.is(...bodyTypes) !== false) return undefined
    const label = fieldOf(x.ctx, 'content-type')
    const hint = looksLikeJson(x.raw.bytes) ? ' It looks like JSON: did you mean Content-Type: application/json?' : ''
    return `Send the body as ${bodyTypes.join(' or ')}, not ${label.slice(0, 100) || 'an unlabelled body'}.${hint}`
  },
  // Looked up by the route's handler (tenant and ownership applied).
  resourceExists: (x) => handlerOf(x).exists(x),
  // By the route's handler: version, format and shown actions.
  etag: (x) => handlerOf(x).etag(x),
  // The row's updated_at.
  lastModified: (x) => handlerOf(x).lastModified(x),
  // Every registered representor for resources; route-specific types elsewhere.
  contentTypesProvided: (x) => handlerOf(x).provides(x),
}
