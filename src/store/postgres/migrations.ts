import type pg from 'pg'

/**
 * Schema changes in order, the same logical tables as the SQLite store's. Each runs once,
 * recorded in `schema_migrations`. `data` and `input` are JSON kept as text (not jsonb, which
 * reorders keys and would change representations and their ETags); times are milliseconds.
 */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'resources, history, tokens, idempotency keys and settings',
    sql: `
      CREATE TABLE resources (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text NOT NULL UNIQUE,
        type text NOT NULL,
        tenant text NOT NULL,
        owner text,
        state text NOT NULL,
        data text NOT NULL,
        version bigint NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE INDEX resources_by_tenant ON resources (type, tenant, seq);
      CREATE INDEX resources_by_owner ON resources (type, tenant, owner, seq);
      CREATE TABLE history (
        resource_id text NOT NULL,
        seq bigint NOT NULL,
        action text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        input text,
        actor text,
        at bigint NOT NULL,
        PRIMARY KEY (resource_id, seq)
      );
      CREATE TABLE tokens (
        hash text PRIMARY KEY,
        user_id text NOT NULL,
        name text NOT NULL,
        tenant text NOT NULL,
        roles text NOT NULL,
        created_at bigint NOT NULL,
        revoked_at bigint,
        expires_at bigint,
        session boolean NOT NULL DEFAULT false
      );
      CREATE TABLE idempotency (
        principal text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        status integer NOT NULL,
        headers text NOT NULL,
        -- bytea, not text: a stored response may hold a NUL character, which text cannot.
        body bytea NOT NULL,
        at bigint NOT NULL,
        PRIMARY KEY (principal, key)
      );
      CREATE INDEX idempotency_by_age ON idempotency (at);
      CREATE TABLE meta (
        key text PRIMARY KEY,
        value text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'lists filtered by state and by date-time',
    // Declared IMMUTABLE though a timestamptz cast reads the session's time zone: the schemas admit
    // only date-times with an offset, which every time zone reads as the same instant. Indexes need it.
    sql: `
      CREATE INDEX resources_by_state ON resources (type, tenant, state, seq);
      CREATE FUNCTION affordance_instant(value text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT to_char(value::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
    `,
  },
]

// The first key of the advisory lock taken while migrating ("Affd"); the second is the schema's hash.
const LOCK_CLASS = 0x41666664

/**
 * Applies the migrations the current schema has not seen yet, all in one transaction under
 * an advisory lock, so that instances starting together migrate once and the others wait
 * and find them done. Returns the schema migrated.
 */
export async function migrate(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema')
  const schema = rows[0]?.schema ?? null
  if (schema === null) throw new Error('The database has no schema to create tables in: its search_path names none that exists.')
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [LOCK_CLASS])
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)')
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version))
    for (const m of migrations) {
      if (applied.has(m.version)) continue
      await client.query(m.sql)
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()])
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  }
  return schema
}
