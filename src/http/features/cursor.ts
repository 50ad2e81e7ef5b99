import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { after } from '../../awaitable.ts'
import type { Awaitable, Store } from '../../store/types.ts'

/** Turns keyset positions into opaque cursors that only the scope they were made for can open. */
export interface Cursors {
  seal(scope: string, position: number): string
  /** The position sealed in a cursor, or undefined when it is forged, cut short or made for another scope. */
  open(scope: string, cursor: string): number | undefined
}

const NONCE = 12
const POSITION = 8
const TAG = 16
const SEALED = NONCE + POSITION + TAG
// 36 bytes are exactly 48 base64url characters, so every valid cursor has one spelling.
const CURSOR = /^[A-Za-z0-9_-]{48}$/

const subkey = (secret: Buffer, use: string): Buffer => createHmac('sha256', secret).update(use).digest()

/**
 * AES-256-GCM over the position, with the scope (route, tenant, caller) as associated data:
 * a cursor neither shows the position (a global row counter would let a caller count other
 * tenants' writes) nor opens for another caller, and any change to it fails authentication.
 */
export function cursorSealer(secret: Buffer): Cursors {
  const sealing = subkey(secret, 'cursor sealing')
  const nonces = subkey(secret, 'cursor nonce')
  return {
    seal(scope, position) {
      const plain = Buffer.alloc(POSITION)
      plain.writeBigUInt64BE(BigInt(position))
      // A nonce derived from the message (as in SIV): the same page always gets the same cursor,
      // which keeps a page's digest ETag stable, and a nonce repeats only with its own message.
      const nonce = createHmac('sha256', nonces).update(scope).update(plain).digest().subarray(0, NONCE)
      const cipher = createCipheriv('aes-256-gcm', sealing, nonce, { authTagLength: TAG }).setAAD(Buffer.from(scope))
      return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString('base64url')
    },
    open(scope, cursor) {
      if (!CURSOR.test(cursor)) return undefined
      const raw = Buffer.from(cursor, 'base64url')
      const decipher = createDecipheriv('aes-256-gcm', sealing, raw.subarray(0, NONCE), { authTagLength: TAG }).setAAD(Buffer.from(scope))
      decipher.setAuthTag(raw.subarray(NONCE + POSITION, SEALED))
      try {
        const plain = Buffer.concat([decipher.update(raw.subarray(NONCE, NONCE + POSITION)), decipher.final()])
        const position = plain.readBigUInt64BE()
        return position <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(position) : undefined
      } catch {
        return undefined
      }
    },
  }
}

/** The database's cursor key: made once, kept in the store, so cursors outlive restarts and work across instances on one database. */
export const storedCursorSealer = (store: Store): Awaitable<Cursors> =>
  after(store.metaOnce('cursor-key', randomBytes(32).toString('base64url')), (key) => cursorSealer(Buffer.from(key, 'base64url')))

/** Cursors whose key is set once the app has started (the gate in mount.ts lets no request in before). */
export function laterCursors(): Cursors & { set(cursors: Cursors): void } {
  let inner: Cursors | undefined
  const started = (): Cursors => {
    if (inner === undefined) throw new Error('cursors used before the app started')
    return inner
  }
  return {
    set: (cursors) => void (inner = cursors),
    seal: (scope, position) => started().seal(scope, position),
    open: (scope, cursor) => started().open(scope, cursor),
  }
}

/** What a cursor is bound to, spelled so that no two scopes share a text. */
export const cursorScope = (...parts: readonly string[]): string => JSON.stringify(parts)
