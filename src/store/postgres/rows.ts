import type { HistoryRow, IdempotentRecord, ResourceRow, TokenListing, TokenRow } from '../types.ts'
import { rolesOf } from '../roles.ts'

/** The columns of a resource, in the order `toRow` reads them (named, never `*`, so a later column changes no plan). */
export const RESOURCE = 'seq, id, type, tenant, owner, state, data, version, created_at, updated_at'

/** A resource as the driver returns it (bigint already a number, through the pool's type parser). */
export interface RawResource {
  seq: number; id: string; type: string; tenant: string; owner: string | null; state: string
  data: string; version: number; created_at: number; updated_at: number
}

// Spelled out rather than spread: every row gets the same shape, as the SQLite store's do.
export const toRow = (r: RawResource): ResourceRow => ({
  seq: r.seq, id: r.id, type: r.type, tenant: r.tenant, owner: r.owner, state: r.state,
  data: JSON.parse(r.data) as Record<string, unknown>, version: r.version, created_at: r.created_at, updated_at: r.updated_at,
})

/** The columns of a history entry. */
export const HISTORY = 'seq, action, from_state, to_state, input, actor, at'

export interface RawHistory { seq: number; action: string; from_state: string | null; to_state: string; input: string | null; actor: string | null; at: number }

export const toHistory = (h: RawHistory): HistoryRow => ({
  seq: h.seq, action: h.action, from: h.from_state, to: h.to_state, input: h.input === null ? null : JSON.parse(h.input), actor: h.actor, at: h.at,
})

/** The columns of a token, without its hash and creation time. */
export const TOKEN = 'user_id, name, tenant, roles, revoked_at, expires_at, session'

export interface RawToken { user_id: string; name: string; tenant: string; roles: string; revoked_at: number | null; expires_at: number | null; session: boolean }

export const tokenRow = (r: RawToken): TokenRow => ({
  user_id: r.user_id, name: r.name, tenant: r.tenant, roles: rolesOf(r.roles), revoked: r.revoked_at !== null, expires_at: r.expires_at, session: r.session,
})

export const tokenListing = (r: RawToken & { hash: string; created_at: number }): TokenListing => ({ ...tokenRow(r), hash: r.hash, created_at: r.created_at })

export interface RawRecord { fingerprint: string; status: number; headers: string; body: Buffer }

export const toRecord = (r: RawRecord): IdempotentRecord => ({
  fingerprint: r.fingerprint, status: r.status, headers: JSON.parse(r.headers) as Record<string, string>, body: r.body.toString('utf8'),
})
