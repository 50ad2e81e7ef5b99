import type Database from 'better-sqlite3'

/** Schema changes in order; each runs once, in its own transaction, recorded in `schema_migrations`. */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'resources and history',
    sql: `
      CREATE TABLE resources (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        tenant TEXT NOT NULL,
        owner TEXT,
        state TEXT NOT NULL,
        data TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX resources_by_tenant ON resources (type, tenant, seq);
      CREATE INDEX resources_by_owner ON resources (type, tenant, owner, seq);
      CREATE TABLE history (
        resource_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        action TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        input TEXT,
        actor TEXT,
        at INTEGER NOT NULL,
        PRIMARY KEY (resource_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'tokens and idempotency keys',
    sql: `
      CREATE TABLE tokens (
        hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        name TEXT NOT NULL,
        tenant TEXT NOT NULL,
        roles TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) WITHOUT ROWID;
      CREATE TABLE idempotency (
        principal TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,
        body TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (principal, key)
      ) WITHOUT ROWID;
      CREATE INDEX idempotency_by_age ON idempotency (at);
    `,
  },
  {
    version: 3,
    name: 'settings the database keeps about itself',
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'token expiry, and which tokens a sign-in issued',
    sql: `
      ALTER TABLE tokens ADD COLUMN expires_at INTEGER;
      ALTER TABLE tokens ADD COLUMN session INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 5,
    name: 'lists filtered by state',
    sql: `
      CREATE INDEX resources_by_state ON resources (type, tenant, state, seq);
    `,
  },
]

/** Applies the migrations this database has not seen yet. */
export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)')
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[])
  for (const m of migrations) {
    if (applied.has(m.version)) continue
    db.transaction(() => {
      // Another process may have applied it while we waited for the write lock.
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version) !== undefined) return
      db.exec(m.sql)
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now())
    }).immediate()
  }
}
