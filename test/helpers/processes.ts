import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { issueToken, openSqliteStore } from '../../src/index.ts'
import { demoUsers } from '../../src/resources/index.ts'

/** A server process started by `spawnServer`, with what it printed at start. */
export interface ServerProcess {
  readonly url: string
  readonly pid: number
  readonly synchronous: number
  readonly journalMode: string
  readonly child: ChildProcess
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>
}

/** A database file on disk with the schema migrated and one token per demo user. */
export interface SharedDatabase {
  readonly dir: string
  readonly file: string
  readonly tokens: Readonly<Record<string, string>>
  remove(): void
}

/** Creates a database and issues the demo tokens through the project's own store code. */
export async function prepareDatabase(): Promise<SharedDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'affordance-proof-'))
  const file = join(dir, 'shared.db')
  const store = openSqliteStore({ filename: file })
  const tokens: Record<string, string> = {}
  for (const user of demoUsers) tokens[user.id] = await issueToken(store, user, Date.now())
  store.close()
  return { dir, file, tokens, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

const script = new URL('./serve-process.ts', import.meta.url).pathname
const live = new Set<ChildProcess>()

/** Starts `serve-process.ts` on `file` and waits for the line with its URL (at most `timeoutMs`). */
export function spawnServer(file: string, timeoutMs = 20_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, file], { stdio: ['pipe', 'pipe', 'pipe'] })
  live.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    live.delete(child)
    resolve()
  }))
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000) })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server process did not start within ${timeoutMs} ms: ${stderr}`))
    }, timeoutMs)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`server process exited (${code ?? signal}) before it listened: ${stderr}`))
    })
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      clearTimeout(timer)
      const info = JSON.parse(line) as { url: string; pid: number; synchronous: number; journal_mode: string }
      resolve({ url: info.url, pid: info.pid, synchronous: info.synchronous, journalMode: info.journal_mode, child, exited })
    })
  })
}

/** Kills one server process with SIGKILL and waits until it is gone. */
export async function killServer(server: ServerProcess): Promise<void> {
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
