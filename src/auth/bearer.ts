import { createHash, randomBytes } from 'node:crypto'
import type { Principal } from '../fsm/types.ts'
import type { Store } from '../store/types.ts'

/** SHA-256 of a token: only this is stored, so a leaked database leaks no token. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/** A new random token (256 bits). */
export const newToken = (): string => `aff_${randomBytes(32).toString('base64url')}`

export type Authentication =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'principal'; readonly principal: Principal }
  | { readonly kind: 'invalid'; readonly reason: string }

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/

/** Resolves a raw token (from a header or a cookie) to a principal. */
export type TokenResolver = (token: string) => Authentication

/** Resolves an `Authorization: Bearer` field to a principal. */
export function authenticateBearer(resolve: TokenResolver, field: string): Authentication {
  if (field === '') return { kind: 'anonymous' }
  const m = /^Bearer(?: +(.*))?$/i.exec(field)
  // Another scheme carries no bearer token: RFC 6750 §3.1 says to answer as if none was sent.
  if (m === null) return { kind: 'anonymous' }
  return resolve((m[1] ?? '').trim())
}

/**
 * A resolver that remembers the principals of tokens it has seen while the store's
 * tokens stand still: any token added or revoked, by this process or another, empties
 * it before the next lookup, so a revocation takes effect on the very next request.
 * Only valid tokens are remembered, at most `capacity` of them.
 */
export function tokenResolver(store: Store, capacity = 10_000): TokenResolver {
  const generationOf = store.tokenGeneration?.bind(store)
  if (generationOf === undefined) return (token) => authenticateToken(store, token)
  const known = new Map<string, Authentication>()
  let generation = generationOf()
  return (token) => {
    const now = generationOf()
    if (now !== generation) {
      known.clear()
      generation = now
    }
    const remembered = known.get(token)
    if (remembered !== undefined) return remembered
    const result = authenticateToken(store, token)
    if (result.kind === 'principal') {
      if (known.size >= capacity) known.clear()
      known.set(token, result)
    }
    return result
  }
}

/** Looks a raw token up in the store, every time. */
export function authenticateToken(store: Store, token: string): Authentication {
  if (!b64token.test(token) || token.length > 512) return { kind: 'invalid', reason: 'The bearer token is malformed.' }
  const row = store.tokenByHash(hashToken(token))
  if (row === undefined) return { kind: 'invalid', reason: 'The bearer token is not known.' }
  if (row.revoked) return { kind: 'invalid', reason: 'The bearer token has been revoked.' }
  return { kind: 'principal', principal: { id: row.user_id, name: row.name, tenant: row.tenant, roles: row.roles } }
}

/** Creates a token for a user and stores its hash; returns the token, which is shown only once. */
export function issueToken(store: Store, user: { id: string; name: string; tenant: string; roles: readonly string[] }, at: number): string {
  const token = newToken()
  store.addToken(hashToken(token), { user_id: user.id, name: user.name, tenant: user.tenant, roles: user.roles }, at)
  return token
}
