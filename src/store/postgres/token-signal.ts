import { createHash } from 'node:crypto'
import pg from 'pg'

/** The channel an instance listens on for revocations: one per schema (channels are per database already). */
export function channelFor(schema: string): string {
  const name = `affordance_tokens:${schema}`
  // A channel name is an identifier: at most 63 bytes, or pg_notify refuses it.
  return Buffer.byteLength(name) <= 63 ? name : `affordance_tokens:${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`
}

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`

const FIRST_RETRY_MS = 100
const LAST_RETRY_MS = 5000
// A connection dropped without a word (a network partition) is otherwise noticed only by TCP keep-alive, after minutes.
const HEARTBEAT_MS = 5000

/**
 * A token generation kept by one dedicated connection that LISTENs for revocations: every
 * notification bumps it. While that connection is down (starting, lost, reconnecting with
 * backoff) the generation changes on every read, so no remembered lookup is trusted; when it
 * is back it changes once more, since notifications may have been missed meanwhile.
 */
export class TokenSignal {
  readonly channel: string
  readonly #config: pg.ClientConfig
  #client: pg.Client | undefined
  #listening = false
  #generation = 0
  #closed = false
  #retryMs = FIRST_RETRY_MS
  #retry: NodeJS.Timeout | undefined
  #heartbeat: NodeJS.Timeout | undefined
  readonly #waiting = new Map<string, () => void>()
  // The round trip on the wire, and the one that starts when it ends (see sync).
  #syncing: Promise<void> | undefined
  #nextSync: Promise<void> | undefined

  constructor(config: pg.ClientConfig, channel: string) {
    this.#config = config
    this.channel = channel
  }

  /** Connects and listens; resolves after the first attempt, whether or not it succeeded (retries go on). */
  start(): Promise<void> {
    return this.#connect()
  }

  /** True while the connection is up and listening. */
  get listening(): boolean {
    return this.#listening
  }

  generation(): number {
    return this.#listening ? this.#generation : ++this.#generation
  }

  /** Marks a revocation made here, before its notification comes back. */
  bump(): void {
    this.#generation++
  }

  /**
   * Waits (at most `ms`) for the notification carrying `payload`; register before sending it.
   * Resolves at once while not listening: then nothing remembered is trusted anyway.
   */
  expect(payload: string, ms: number): { readonly heard: Promise<void>; cancel(): void } {
    if (!this.#listening) return { heard: Promise.resolve(), cancel: () => {} }
    let timer: NodeJS.Timeout | undefined
    const heard = new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.#waiting.delete(payload)
        resolve()
      }
      this.#waiting.set(payload, done)
      timer = setTimeout(done, ms)
      timer.unref()
    })
    return { heard, cancel: () => this.#waiting.get(payload)?.() }
  }

  /**
   * One round trip on the listening connection: PostgreSQL signals every listener when a
   * revocation commits, and a listener sends what it was signalled before it answers its next
   * query, so every revocation committed before this call has been heard when it resolves.
   * Calls made while a round trip is under way share the next one (one query however many
   * requests wait). A round trip not answered within the connection timeout counts the
   * listener lost: then no remembered lookup is trusted until it is back.
   */
  sync(): Promise<void> {
    if (this.#syncing === undefined) return this.#roundTrip()
    this.#nextSync ??= this.#syncing.then(() => {
      this.#nextSync = undefined
      return this.#roundTrip()
    })
    return this.#nextSync
  }

  #roundTrip(): Promise<void> {
    const client = this.#client
    if (client === undefined || !this.#listening) return Promise.resolve()
    const trip = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#lost(client)
        resolve()
      }, this.#config.connectionTimeoutMillis ?? 2000)
      timer.unref()
      client.query('SELECT 1').catch(() => this.#lost(client)).finally(() => {
        clearTimeout(timer)
        resolve()
      })
    })
    const shared = trip.finally(() => {
      if (this.#syncing === shared) this.#syncing = undefined
    })
    this.#syncing = shared
    return shared
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#retry)
    clearInterval(this.#heartbeat)
    for (const done of [...this.#waiting.values()]) done()
    const client = this.#client
    this.#client = undefined
    this.#listening = false
    await client?.end().catch(() => {})
  }

  async #connect(): Promise<void> {
    this.#retry = undefined
    const client = new pg.Client(this.#config)
    this.#client = client
    client.on('error', () => this.#lost(client))
    client.on('end', () => this.#lost(client))
    client.on('notification', (n) => {
      if (n.channel !== this.channel) return
      this.#generation++
      this.#waiting.get(n.payload ?? '')?.()
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${quoted(this.channel)}`)
    } catch {
      this.#lost(client)
      return
    }
    if (this.#client !== client) return
    this.#listening = true
    this.#generation++
    this.#retryMs = FIRST_RETRY_MS
    this.#heartbeat = setInterval(() => { client.query('SELECT 1').catch(() => this.#lost(client)) }, HEARTBEAT_MS)
    this.#heartbeat.unref()
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return
    this.#client = undefined
    this.#listening = false
    clearInterval(this.#heartbeat)
    client.end().catch(() => {})
    if (this.#closed) return
    this.#retry = setTimeout(() => { void this.#connect() }, this.#retryMs)
    this.#retry.unref()
    this.#retryMs = Math.min(this.#retryMs * 2, LAST_RETRY_MS)
  }
}
