import type { Exchange } from '../graph/exchange.ts'
import { fieldOf } from './request-field.ts'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The origin this server answers as: the configured public URL, else the scheme and host the
 * request was sent to (not Koa's `ctx.origin`, which echoes the request's Origin field).
 */
const ownOrigin = (x: Exchange): string => (x.app.settings.publicUrl === undefined ? `${x.ctx.protocol}://${x.ctx.host}` : new URL(x.app.settings.publicUrl).origin)

/** Whether the explorer's pages are served over https (the public URL's scheme, else the request's): its cookie is then Secure. */
export const servedOverHttps = (x: Exchange): boolean =>
  x.app.settings.publicUrl === undefined ? x.ctx.protocol === 'https' : x.app.settings.publicUrl.startsWith('https:')

/**
 * Why an unsafe request that a browser may have sent on its own (cookie-authenticated, or a
 * sign-in) must be refused as cross-site, or undefined when it provably comes from our pages.
 * Following OWASP's CSRF guidance: `Sec-Fetch-Site` must be `same-origin` when sent, `Origin`
 * must be ours when sent, and a request carrying neither is refused (every current browser
 * sends at least one on a POST, so only a forged or non-browser request lacks both).
 * Bearer requests are not checked: a browser never adds an Authorization field by itself.
 */
export function crossSiteReason(x: Exchange): string | undefined {
  if (SAFE.has(x.method) || (x.viaCookie !== true && x.route.kind !== 'session')) return undefined
  const site = fieldOf(x.ctx, 'sec-fetch-site')
  const origin = fieldOf(x.ctx, 'origin')
  if (site !== '' && site !== 'same-origin') return `This form was sent from another site (Sec-Fetch-Site: ${site}); use the pages of this server.`
  if (origin !== '' && origin !== ownOrigin(x)) return `This form was sent from another origin (${origin}); use the pages of this server.`
  if (site === '' && origin === '') return 'A cookie-authenticated request must show where it comes from (Origin or Sec-Fetch-Site); send a bearer token instead.'
  return undefined
}
