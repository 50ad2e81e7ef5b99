/**
 * The cookie that carries a person's token in the HTML explorer, sent only under `base`, the
 * path the app is mounted at. Over https at the root it takes the `__Host-` prefix, which
 * browsers accept only when Secure, for Path=/ and without Domain: a sibling subdomain or a
 * plain-http page can then neither set nor shadow it. Under a path, `__Host-` cannot be had;
 * `__Secure-` still keeps plain-http pages from setting it.
 */
export const sessionCookieName = (secure: boolean, base: string): string => (secure ? (base === '' ? '__Host-affordance_token' : '__Secure-affordance_token') : 'affordance_token')

/** The value of one cookie in a `Cookie` field (RFC 6265 §5.4), or undefined when it is absent or empty. */
export function readCookie(field: string, name: string): string | undefined {
  for (const pair of field.split(';')) {
    const at = pair.indexOf('=')
    if (at < 0 || pair.slice(0, at).trim() !== name) continue
    const value = pair.slice(at + 1).trim().replace(/^"(.*)"$/, '$1')
    return value === '' ? undefined : value
  }
  return undefined
}

// HttpOnly keeps scripts away from the token; SameSite=Strict keeps other sites' links and forms from sending it.
const attributes = (secure: boolean, base: string): string => `HttpOnly; SameSite=Strict; Path=${base === '' ? '/' : base}${secure ? '; Secure' : ''}`

/** `Set-Cookie` that signs a person in with a token; it lasts as long as the token when that expires. */
export const sessionCookie = (token: string, secure: boolean, base: string, maxAgeSeconds?: number): string =>
  `${sessionCookieName(secure, base)}=${token}; ${maxAgeSeconds === undefined ? '' : `Max-Age=${maxAgeSeconds}; `}${attributes(secure, base)}`

/** `Set-Cookie` that signs a person out. */
export const clearedSessionCookie = (secure: boolean, base: string): string => `${sessionCookieName(secure, base)}=; Max-Age=0; ${attributes(secure, base)}`
