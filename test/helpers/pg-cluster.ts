import { execFile, execFileSync } from 'node:child_process'
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** A PostgreSQL cluster of its own, in a temporary folder, that a test may stop, crash and restart. */
export interface ThrowawayCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, the same across restarts. */
  readonly url: string
  readonly port: number
  /** The temporary folder holding the data directory, the socket and the server log. */
  readonly dir: string
  /** The postmaster's process id while it runs, `undefined` while it is stopped. */
  readonly pid: number | undefined
  /** Shuts the server down: `fast` rolls back open transactions, `immediate` skips the checkpoint (recovery runs at the next start). */
  stop(mode: 'fast' | 'immediate'): Promise<void>
  /** Starts it again on the same port and data, and resolves once it accepts connections. */
  start(): Promise<void>
  /** SIGKILLs the postmaster, as a crash would, and waits until none of its processes is left. */
  kill(): Promise<void>
  /** Stops the server if it runs and removes the folder. */
  destroy(): Promise<void>
}

interface ClusterOptions {
  /** Lines added to postgresql.conf, e.g. `{ max_connections: 20 }`. */
  readonly settings?: Readonly<Record<string, string | number>>
  /** Bound on each of initdb, start, stop and kill, in milliseconds. */
  readonly timeoutMs?: number
}

// initdb and the server refuse to run as root: as root, every PostgreSQL program runs as `postgres`.
const asRoot = process.getuid?.() === 0
let binDir: string | undefined

/** PostgreSQL's bin folder: PG_BINDIR, else what `pg_config --bindir` says. */
function pgBin(program: string): string {
  binDir ??= process.env.PG_BINDIR ?? execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()
  return join(binDir, program)
}

function asPostgres(program: string, args: readonly string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', pgBin(program), ...args]] : [pgBin(program), [...args]]
}

function run(program: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<string> {
  const [file, argv] = asPostgres(program, args)
  return new Promise((resolve, reject) => {
    execFile(file, argv, { cwd, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout)
      else reject(new Error(`${program} ${args[0] ?? ''} failed: ${error.message}\n${stderr}`))
    })
  })
}

/** A port nobody listens on now: the kernel picks it when we bind port 0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** The state letter of `pid` in /proc (R, S, Z…), or undefined once it is gone (or /proc is absent). */
function state(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.charAt(stat.lastIndexOf(')') + 2)
  } catch {
    return undefined
  }
}

/** Whether `pid` still exists, a zombie included: a postmaster refuses to start while its predecessor's pid answers. */
function exists(pid: number): boolean {
  if (existsSync('/proc/self')) return state(pid) !== undefined
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** The processes whose parent is `pid` (the backends and workers of a postmaster). */
function childrenOf(pid: number): number[] {
  if (!existsSync('/proc/self')) return []
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((name) => {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      return ppid === pid ? [Number(name)] : []
    } catch {
      return []
    }
  })
}

function killNow(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
}

/** Waits until every pid is gone; past `timeoutMs`, zombies nobody reaps are let be and the rest reported. */
async function waitGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  while (pids.some(exists) && Date.now() < deadline) await sleep(20)
  return pids.filter((pid) => exists(pid) && state(pid) !== 'Z')
}

/** Removes a System V shared memory segment a killed postmaster left; a segment still attached goes when its last process detaches. */
function removeSegment(shmid: string | undefined): void {
  if (shmid === undefined) return
  try {
    execFileSync('ipcrm', ['-m', shmid], { stdio: 'ignore' })
  } catch {
    // Already removed, by the next postmaster or by the system.
  }
}

interface Teardown {
  sync(): void
}
const live = new Set<Teardown>()

// A failing test may never reach destroy(): kill what is left and remove its folder, synchronously.
process.once('exit', () => {
  for (const cluster of live) cluster.sync()
})

/** Creates a cluster in a new temporary folder, on a free port of 127.0.0.1, and starts it. */
export async function startThrowawayCluster(options: ClusterOptions = {}): Promise<ThrowawayCluster> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const seconds = String(Math.ceil(timeoutMs / 1000))
  const dir = mkdtempSync(join(tmpdir(), 'affordance-pg-'))
  const data = join(dir, 'data')
  const log = join(dir, 'server.log')
  let pid: number | undefined
  // The shared memory id of a postmaster that was killed and not started again.
  let orphanSegment: string | undefined
  let segment: string | undefined

  const teardown: Teardown = {
    sync() {
      if (pid !== undefined) killNow([pid, ...childrenOf(pid)])
      removeSegment(pid === undefined ? orphanSegment : segment)
      rmSync(dir, { recursive: true, force: true })
      live.delete(teardown)
    },
  }
  live.add(teardown)

  const port = await freePort()
  try {
    if (asRoot) {
      const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim())
      chownSync(dir, id('-u'), id('-g'))
    }
    await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C'], dir, timeoutMs)
    const settings: Record<string, string | number> = {
      listen_addresses: '127.0.0.1',
      port,
      unix_socket_directories: dir,
      shared_buffers: '16MB',
      max_connections: 50,
      // Segments in the data folder, so a crash leaves nothing in /dev/shm.
      dynamic_shared_memory_type: 'mmap',
      ...options.settings,
    }
    const lines = Object.entries(settings).map(([key, value]) => `${key} = ${typeof value === 'number' ? value : `'${value}'`}`)
    appendFileSync(join(data, 'postgresql.conf'), `\n${lines.join('\n')}\n`)
  } catch (error) {
    teardown.sync()
    throw error
  }

  const readPidFile = (): string[] => readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')

  const cluster: ThrowawayCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    get pid() {
      return pid
    },
    async start() {
      if (pid !== undefined) throw new Error(`the cluster on port ${port} already runs (pid ${pid})`)
      // -w waits until postmaster.pid says "ready": recovery is over and connections are accepted.
      await run('pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', seconds, '-s'], dir, timeoutMs + 5_000).catch((error: Error) => {
        const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''
        throw new Error(`${error.message}\nserver log:\n${tail}`)
      })
      const lines = readPidFile()
      pid = Number(lines[0])
      // Line 7 holds the System V key and id of the shared memory segment.
      segment = lines[6]?.trim().split(/\s+/)[1]
      orphanSegment = undefined
    },
    async stop(mode) {
      if (pid === undefined) return
      await run('pg_ctl', ['stop', '-D', data, '-m', mode, '-w', '-t', seconds, '-s'], dir, timeoutMs + 5_000)
      pid = undefined
    },
    async kill() {
      if (pid === undefined) return
      const postmaster = pid
      const children = childrenOf(postmaster)
      killNow([postmaster])
      pid = undefined
      orphanSegment = segment
      // The children notice their postmaster died and exit; a new postmaster refuses to start while they hold the segment.
      const stuck = await waitGone([postmaster, ...children], timeoutMs)
      if (stuck.length > 0) {
        killNow(stuck)
        await waitGone(stuck, 5_000)
      }
    },
    async destroy() {
      try {
        await cluster.stop('fast')
      } finally {
        teardown.sync()
      }
    },
  }
  try {
    await cluster.start()
  } catch (error) {
    teardown.sync()
    throw error
  }
  return cluster
}
