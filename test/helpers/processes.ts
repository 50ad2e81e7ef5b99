import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import pg from 'pg'
import { claimDemoDatabase, issueToken, openPostgresStore, openSqliteStore, type Store } from '../../src/index.ts'
import { demoUsers } from '../../src/resources/index.ts'
import type { ServeOptions } from './serve-process.ts'
import { newTestDatabase, selectedStore, type StoreKind } from './stores.ts'

/** A server in a child process of its own. */
export interface ChildServer {
  readonly url: string
  readonly pid: number
  readonly child: ChildProcess
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>
  /** Everything it printed, stdout and stderr. */
  output(): string
}

/** A server process started by `spawnServer`, with what its store runs with. */
export interface ServerProcess extends ChildServer {
  readonly store: StoreKind
  /** SQLite's `synchronous` and `journal_mode` on the process's own connection; undefined on PostgreSQL. */
  readonly synchronous: number | undefined
  readonly journalMode: string | undefined
}

/** A database that server processes share, migrated, with one token per demo user. */
export interface SharedDatabase {
  readonly kind: StoreKind
  /** What a server is given: the SQLite file, or the PostgreSQL URL selecting its schema. */
  readonly database: string
  readonly tokens: Readonly<Record<string, string>>
  /** Runs one query on a connection of its own (`?` placeholders), for checks of the rows as stored. */
  rows<R>(sql: string, values?: readonly unknown[]): Promise<R[]>
  remove(): Promise<void>
}

interface PrepareOptions {
  /** Which store; by default the one `STORE` selects. */
  readonly kind?: StoreKind
  /** A PostgreSQL database to use as it is (a throwaway cluster's) instead of a fresh schema. */
  readonly url?: string
  /** Makes the database a demo one, so that servers started with `demo` offer sign-in. */
  readonly demo?: boolean
}

async function seed(store: Store, demo: boolean): Promise<Record<string, string>> {
  if (demo && !(await claimDemoDatabase(store))) throw new Error('the new database could not be made a demo one')
  const tokens: Record<string, string> = {}
  for (const user of demoUsers) tokens[user.id] = await issueToken(store, user, Date.now())
  return tokens
}

/** Runs one query with `?` placeholders on a connection of its own, closed after. */
async function rowsOf<R>(kind: StoreKind, location: string, sql: string, values: readonly unknown[]): Promise<R[]> {
  if (kind === 'sqlite') {
    const db = new Database(location, { readonly: true })
    try {
      return db.prepare(sql).all(...values) as R[]
    } finally {
      db.close()
    }
  }
  let n = 0
  const client = new pg.Client({ connectionString: location })
  await client.connect()
  try {
    return (await client.query(sql.replace(/\?/g, () => `$${++n}`), [...values])).rows as R[]
  } finally {
    await client.end()
  }
}

/** Creates a database and issues the demo tokens through the project's own store code. */
export async function prepareDatabase(options: PrepareOptions = {}): Promise<SharedDatabase> {
  const kind = options.url === undefined ? options.kind ?? selectedStore : 'postgres'
  const target = options.url === undefined ? await newTestDatabase(kind) : { location: options.url, remove: async () => {} }
  const store: Store = kind === 'sqlite' ? openSqliteStore({ filename: target.location }) : await openPostgresStore({ url: target.location, listen: false })
  let tokens: Record<string, string>
  try {
    tokens = await seed(store, options.demo ?? false)
  } finally {
    await store.close()
  }
  return {
    kind, database: target.location, tokens,
    rows: (sql, values = []) => rowsOf(kind, target.location, sql, values),
    remove: () => target.remove(),
  }
}

const script = new URL('./serve-process.ts', import.meta.url).pathname
const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname
const live = new Set<ChildProcess>()

/** Starts a child, keeps what it prints, and has it killed however the test ends. */
function track(args: readonly string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; exited: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env })
  live.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    live.delete(child)
    resolve()
  }))
  let output = ''
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  return { child, exited, output: () => output }
}

/** Resolves with what `found` makes of the first line of stdout it accepts; rejects when the process exits first or after `timeoutMs`. */
function awaitLine<T>(started: ReturnType<typeof track>, timeoutMs: number, found: (line: string) => T | undefined): Promise<T> {
  const { child, output } = started
  return new Promise((resolve, reject) => {
    let text = ''
    const done = (error?: Error, value?: T): void => {
      clearTimeout(timer)
      child.off('exit', early)
      child.stdout?.off('data', read)
      if (error === undefined) resolve(value as T)
      else reject(error)
    }
    const read = (chunk: Buffer): void => {
      text += chunk.toString()
      const lines = text.split('\n')
      text = lines.pop() ?? ''
      for (const line of lines) {
        const value = found(line)
        if (value !== undefined) return done(undefined, value)
      }
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      done(new Error(`server process did not start within ${timeoutMs} ms: ${output().slice(-4000)}`))
    }, timeoutMs)
    const early = (code: number | null, signal: string | null): void => done(new Error(`server process exited (${code ?? signal}) before it listened: ${output().slice(-4000)}`))
    child.once('exit', early)
    child.stdout?.on('data', read)
  })
}

/** Starts `serve-process.ts` on `database` (a file or a URL) and waits for the line with its URL (at most `timeoutMs`). */
export async function spawnServer(database: string, options: ServeOptions & { readonly timeoutMs?: number } = {}): Promise<ServerProcess> {
  const { timeoutMs = 20_000, ...serve } = options
  const started = track([script, database, JSON.stringify(serve)])
  const info = await awaitLine(started, timeoutMs, (line) => (line.startsWith('{') ? JSON.parse(line) : undefined) as { url: string; pid: number; store: StoreKind; synchronous?: number; journal_mode?: string } | undefined)
  return { url: info.url, pid: info.pid, store: info.store, synchronous: info.synchronous, journalMode: info.journal_mode, child: started.child, exited: started.exited, output: started.output }
}

/** Starts `affordance serve` (the command line, on any free port) with `args` and environment `env`, and waits for its "listening on" line. */
export async function spawnServe(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<ChildServer> {
  const started = track([cli, 'serve', '--port', '0', ...args], { ...process.env, ...env })
  const url = await awaitLine(started, timeoutMs, (line) => /listening on (http:\/\/\S+?)\/ /.exec(line)?.[1])
  return { url, pid: started.child.pid as number, ...started }
}

/** Kills one server process with SIGKILL and waits until it is gone. */
export async function killServer(server: ChildServer): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL')
  await server.exited
}

/** Kills every server process this module started that is still alive. */
export async function killAll(): Promise<void> {
  const waits = [...live].map((child) => new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  }))
  await Promise.all(waits)
}

// A failing test may never reach its `after`: leave no child behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/**
 * Collects what a started server prints and resolves with the URL of its "listening on" line;
 * rejects when it exits first or prints none within `timeoutMs`. `output` reads all it printed so far.
 */
export function listeningUrl(child: ChildProcess, timeoutMs: number): { url: Promise<string>; output: () => string } {
  let output = ''
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), timeoutMs)
    child.stdout?.on('data', () => {
      const m = /listening on (http:\/\/\S+?)\/ /.exec(output)
      if (m?.[1] === undefined) return
      clearTimeout(timer)
      resolve(m[1])
    })
    child.once('exit', () => {
      clearTimeout(timer)
      reject(new Error(`exited early: ${output}`))
    })
  })
  return { url, output: () => output }
}
