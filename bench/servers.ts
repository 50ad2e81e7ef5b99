import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** A server under test, in its own process (pinned to a core where `taskset` exists). */
export interface BenchServer {
  readonly name: string
  readonly url: string
  readonly pid: number
  /** User + system CPU time of the process so far, in microseconds. */
  cpuMicros(): number
  /** Resident set size now, in bytes. */
  rss(): number
  stop(): Promise<void>
}

const root = fileURLToPath(new URL('..', import.meta.url))
const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100
const hasTaskset = spawnSync('taskset', ['--version']).status === 0

/**
 * Pins this process's main thread (the load generator) to one core, when the machine lets
 * us. Only the main thread: with V8's helper threads held to the same core, the load
 * generator itself became the bottleneck, at about half the rate it reaches otherwise.
 */
export function pinSelf(core: number): boolean {
  return hasTaskset && spawnSync('taskset', ['-cp', String(core), String(process.pid)]).status === 0
}

// Read once, before `pinSelf` narrows this process to one core: nproc counts the cores its caller
// may run on, so asked afterwards it said 1, and the servers were left on the load generator's core.
const cores = Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()) || 1

/** How many cores the load generator and the servers can be spread over. */
export const coreCount = (): number => cores

/** Starts `script` (relative to the project) with the given environment, on `core` when set. */
export async function startServer(name: string, script: string, env: Record<string, string>, core?: number): Promise<BenchServer> {
  const node = [process.execPath, '--import', 'tsx', script]
  const [command, ...args] = hasTaskset && core !== undefined ? ['taskset', '-c', String(core), ...node] : node
  const child = spawn(command as string, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening (\d+)/.exec(out)
      if (m?.[1] !== undefined) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code ?? 'a signal'} before listening`)))
  })
  const pid = child.pid as number
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    pid,
    cpuMicros: () => processCpuMicros(pid),
    rss: () => rssBytes(pid),
    stop: () => stop(child),
  }
}

/** User + system CPU time of a process so far, in microseconds. */
export function processCpuMicros(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond
}

/** CPU time so far, busy and in all, in microseconds. */
export interface CpuTime { readonly busy: number; readonly total: number }

/** CPU time of the whole machine so far (all cores together), and of each core. */
export function machineCpuMicros(): { all: CpuTime; cores: CpuTime[] } {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n').filter((line) => /^cpu\d* /.test(line))
  const times = lines.map((line): CpuTime => {
    // cpuN  user nice system idle iowait irq softirq steal (guest time is counted in user already).
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number)
    const total = fields.reduce((sum, n) => sum + n, 0)
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0)
    return { busy: ((total - idle) * 1e6) / ticksPerSecond, total: (total * 1e6) / ticksPerSecond }
  })
  return { all: times[0] ?? { busy: 0, total: 0 }, cores: times.slice(1) }
}

function rssBytes(pid: number): number {
  let status: string
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    // Gone (a Ctrl-C reaches the servers too): sampled on a timer, this must not end the run before it cleans up.
    return 0
  }
  const m = /VmRSS:\s+(\d+) kB/.exec(status)
  return m?.[1] === undefined ? 0 : Number(m[1]) * 1024
}

function stop(child: ChildProcess): Promise<void> {
  // Ended already, by itself or by a signal: its exit event has been and will not come again.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
