import { createHash, randomBytes } from 'node:crypto'
import type { Principal } from '../fsm/types.ts'
import { after } from '../awaitable.ts'
import type { Awaitable, Store, TokenRow } from '../store/types.ts'

/** SHA-256 of a token: only this is stored, so a leaked database leaks no token. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/** A new random token (256 bits). */
const newToken = (): string => `aff_${randomBytes(32).toString('base64url')}`

export type Authentication =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'principal'; readonly principal: Principal }
  | { readonly kind: 'invalid'; readonly reason: string }

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/

/** Resolves a raw token (from a header or a cookie) to a principal. */
export type TokenResolver = (token: string) => Awaitable<Authentication>

/** Resolves an `Authorization: Bearer` field to a principal. */
export function authenticateBearer(resolve: TokenResolver, field: string): Awaitable<Authentication> {
  if (field === '') return { kind: 'anonymous' }
  const m = /^Bearer(?: +(.*))?$/i.exec(field)
  // Another scheme carries no bearer token: RFC 6750 §3.1 says to answer as if none was sent.
  if (m === null) return { kind: 'anonymous' }
  return resolve((m[1] ?? '').trim())
}

/**
 * A resolver that remembers the principals of tokens it has seen while no token is
 * revoked: a revocation, by this process or another, empties it before the next lookup,
 * so it takes effect on the very next request (where the store hears of revocations by
 * message, a remembered token is used only once the messages sent before it have come). Issuing a token leaves it be (only valid
 * tokens are remembered, so a new one was in it nowhere). Expiry is checked on every
 * lookup, remembered or not. At most `capacity` tokens are remembered. `looked` hears whether
 * each lookup found the token remembered (a hit) or asked the store (a miss).
 */
export function tokenResolver(store: Store, capacity = 10_000, now: () => number = Date.now, looked: (hit: boolean) => void = () => {}): TokenResolver {
  const generationOf = store.tokenGeneration?.bind(store)
  if (generationOf === undefined) return (token) => authenticateToken(store, token, now())
  const known = new Map<string, { readonly result: Authentication; readonly expiresAt: number | null }>()
  let generation = generationOf()
  const resolve: TokenResolver = (token) => {
    const current = generationOf()
    if (current !== generation) {
      known.clear()
      generation = current
    }
    const t = now()
    const remembered = known.get(token)
    looked(remembered !== undefined)
    if (remembered !== undefined) {
      if (remembered.expiresAt === null || t < remembered.expiresAt) return remembered.result
      known.delete(token)
      return expired
    }
    return after(lookUp(store, token), (row) => {
      const result = authenticationOf(row, t)
      // Remembered only if no revocation was signalled while the store was asked.
      if (result.kind === 'principal' && row !== undefined && typeof row !== 'string' && generationOf() === generation) {
        if (known.size >= capacity) known.clear()
        known.set(token, { result, expiresAt: row.expires_at })
      }
      return result
    })
  }
  const sync = store.syncTokenGeneration?.bind(store)
  if (sync === undefined) return resolve
  // Told of revocations by messages that may still be on their way: a remembered token waits for them first.
  return (token) => (known.has(token) ? sync().then(() => resolve(token)) : resolve(token))
}

const expired: Authentication = { kind: 'invalid', reason: 'The bearer token has expired.' }

function lookUp(store: Store, token: string): Awaitable<TokenRow | 'malformed' | undefined> {
  if (!b64token.test(token) || token.length > 512) return 'malformed'
  return store.tokenByHash(hashToken(token))
}

function authenticationOf(row: TokenRow | 'malformed' | undefined, now: number): Authentication {
  if (row === 'malformed') return { kind: 'invalid', reason: 'The bearer token is malformed.' }
  if (row === undefined) return { kind: 'invalid', reason: 'The bearer token is not known.' }
  if (row.revoked) return { kind: 'invalid', reason: 'The bearer token has been revoked.' }
  if (row.expires_at !== null && now >= row.expires_at) return expired
  return { kind: 'principal', principal: { id: row.user_id, name: row.name, tenant: row.tenant, roles: row.roles } }
}

/** Looks a raw token up in the store, every time. */
export function authenticateToken(store: Store, token: string, now = Date.now()): Awaitable<Authentication> {
  return after(lookUp(store, token), (row) => authenticationOf(row, now))
}

/** How a token is issued: when it stops working, and whether a sign-in issued it. */
export interface IssueOptions {
  readonly expiresAt?: number
  readonly session?: boolean
}

/** Creates a token for a user and stores its hash; resolves to the token, which is shown only once. */
export async function issueToken(store: Store, user: Principal, at: number, options: IssueOptions = {}): Promise<string> {
  const token = newToken()
  await store.addToken(hashToken(token), { user_id: user.id, name: user.name, tenant: user.tenant, roles: user.roles, expires_at: options.expiresAt ?? null, session: options.session ?? false }, at)
  return token
}

// RFC 6750 §3: error_description allows printable ASCII but for `"` and `\`.
const descriptionOf = (reason: string): string => reason.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?').slice(0, 200)

/** The `WWW-Authenticate` challenge of a 401; with an `invalid_token` error when a token was sent and refused (RFC 6750 §3). */
export const bearerChallenge = (refusal?: string): string =>
  refusal === undefined ? 'Bearer realm="affordance"' : `Bearer realm="affordance", error="invalid_token", error_description="${descriptionOf(refusal)}"`
