import type { RouteKind } from '../../hooks.ts'
import { canCreate, canView } from '../../auth/policy.ts'
import { crossSiteReason } from '../protocol/same-origin.ts'
import type { Answers, Exchange } from '../graph/exchange.ts'
import { bodyTypes } from '../protocol/body-types.ts'
import { looksLikeJson } from '../protocol/body.ts'
import { fieldOf } from '../protocol/request-field.ts'
import { unknownParameters } from './query.ts'
import { viewTypes } from './handler-kit.ts'

/** Methods the framework implements; any other gets 501. */
export const knownMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

/** Routes anyone may read without a token. */
const publicRoutes: ReadonlySet<RouteKind> = new Set(['none', 'entry', 'health', 'ready', 'machine', 'schema', 'problem-type', 'session'])

/** The body carries a content coding other than identity (RFC 9110 §8.4). */
export const hasContentCoding = (x: Exchange): boolean => {
  const coding = fieldOf(x.ctx, 'content-encoding').trim().toLowerCase()
  return coding !== '' && coding !== 'identity'
}


/**
 * The default answer to every question of `Hooks` (src/hooks.ts), one line each. A kind of
 * route answers some of them its own way (`hooks` of its handler); a resource type's
 * `hooks` override both.
 */
export const defaultAnswers: Answers = {
  // B13 → 503. Available unless in maintenance; /health always answers.
  serviceAvailable: (x) => !x.app.settings.maintenance || x.route.kind === 'health',
  // B12 → 501. GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.
  knownMethods: () => knownMethods,
  // B8 → 401. Public routes need nothing; the rest need valid credentials.
  authorized: (x) => (publicRoutes.has(x.route.kind) ? true : x.principal !== undefined && x.authError === undefined),
  // B7 → 403. Cookie-authenticated unsafe requests must come from our own pages; listing needs a viewing role, creating a creating role.
  forbidden: (x) => {
    const crossSite = crossSiteReason(x)
    if (crossSite !== undefined) return crossSite
    const type = x.route.entry?.type
    if (type === undefined || x.route.kind !== 'collection') return false
    if (x.method === 'POST') return canCreate(type, x.principal) ? false : `Your roles may not create a ${type.name}.`
    return canView(type, x.principal) ? false : `Your roles may not list ${type.collection}.`
  },
  // B9 → 400. A body that did not parse, or a query parameter the route does not read.
  malformed: (x) => x.malformed ?? unknownParameters(x),
  // B5 → 415. A body must be JSON or an HTML form, with no content coding.
  validContentHeaders: (x) => {
    if (x.raw?.kind !== 'bytes') return undefined
    if (hasContentCoding(x)) return `Content-Encoding "${fieldOf(x.ctx, 'content-encoding').slice(0, 64)}" is not supported; send the body uncompressed.`
    if (x.ctx.request.is(...bodyTypes) !== false) return undefined
    const label = fieldOf(x.ctx, 'content-type')
    const hint = looksLikeJson(x.raw.bytes) ? ' It looks like JSON: did you mean Content-Type: application/json?' : ''
    return `Send the body as ${bodyTypes.join(' or ')}, not ${label.slice(0, 100) || 'an unlabelled body'}.${hint}`
  },
  // G7 → 404. Exists; routes that look something up say otherwise.
  resourceExists: () => true,
  // G11, K13 → 412 / 304. None; routes with a representation tag it.
  etag: () => undefined,
  // H12, L17 → 412 / 304. The row's updated_at, when there is a row.
  lastModified: (x) => x.row?.updated_at,
  // C4 → 406. Every registered representor's media type.
  contentTypesProvided: viewTypes,
}
