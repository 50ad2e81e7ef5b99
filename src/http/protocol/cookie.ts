/**
 * The cookie that carries a person's token in the HTML explorer. Over https it takes the
 * `__Host-` prefix, which browsers accept only when Secure, for Path=/ and without Domain:
 * a sibling subdomain or a plain-http page can then neither set nor shadow it.
 */
export const sessionCookieName = (secure: boolean): string => (secure ? '__Host-affordance_token' : 'affordance_token')

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
const attributes = (secure: boolean): string => `HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`

/** `Set-Cookie` that signs a person in with a token; it lasts as long as the token when that expires. */
export const sessionCookie = (token: string, secure: boolean, maxAgeSeconds?: number): string =>
  `${sessionCookieName(secure)}=${token}; ${maxAgeSeconds === undefined ? '' : `Max-Age=${maxAgeSeconds}; `}${attributes(secure)}`

/** `Set-Cookie` that signs a person out. */
export const clearedSessionCookie = (secure: boolean): string => `${sessionCookieName(secure)}=; Max-Age=0; ${attributes(secure)}`
