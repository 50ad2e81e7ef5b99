import type Database from 'better-sqlite3'

interface Pending {
  readonly work: () => unknown
  readonly resolve: (value: unknown) => void
  readonly reject: (reason: unknown) => void
}

/**
 * Applies the writes that arrive in the same turn of the event loop in one
 * `BEGIN IMMEDIATE` transaction, each under its own savepoint, and settles their
 * promises only after the one commit (one fsync) that holds them all.
 */
export class GroupCommit {
  #queue: Pending[] = []
  #scheduled = false
  readonly #db: Database.Database
  readonly #maxBatch: number
  readonly #committed: (size: number) => void

  /** `committed` hears the size of every batch that committed. */
  constructor(db: Database.Database, maxBatch: number, committed: (size: number) => void = () => {}) {
    this.#db = db
    this.#maxBatch = maxBatch
    this.#committed = committed
  }

  submit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (v: unknown) => void, reject })
      if (!this.#scheduled) {
        this.#scheduled = true
        setImmediate(() => this.#flush())
      }
    })
  }

  /** Runs everything queued now; used on shutdown so no accepted write is left behind. */
  drain(): void {
    while (this.#queue.length > 0) this.#flush()
  }

  #flush(): void {
    this.#scheduled = false
    const batch = this.#queue.splice(0, this.#maxBatch)
    if (this.#queue.length > 0 && !this.#scheduled) {
      this.#scheduled = true
      setImmediate(() => this.#flush())
    }
    if (batch.length === 0) return
    const outcomes: { ok: boolean; value: unknown }[] = []
    const db = this.#db
    try {
      db.exec('BEGIN IMMEDIATE')
      for (const item of batch) {
        db.exec('SAVEPOINT w')
        try {
          const value = item.work()
          db.exec('RELEASE w')
          outcomes.push({ ok: true, value })
        } catch (error) {
          db.exec('ROLLBACK TO w')
          db.exec('RELEASE w')
          outcomes.push({ ok: false, value: error })
        }
      }
      db.exec('COMMIT')
      this.#committed(batch.length)
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK')
      for (const item of batch) item.reject(error)
      return
    }
    batch.forEach((item, i) => {
      const o = outcomes[i]
      if (o?.ok === true) item.resolve(o.value)
      else item.reject(o?.value)
    })
  }
}
