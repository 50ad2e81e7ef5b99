import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** A WAL checkpoint loop on its own thread and connection; `stop` ends it. */
export interface Checkpointer {
  stop(): void
}

// Plain CommonJS, so the thread needs no TypeScript loader; PASSIVE never waits for the writer;
// a small page cache, since checkpoints stream pages through and never read them again.
// A store closed (and its file removed) before the thread started leaves nothing to do.
const source = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
let db
try {
  db = new Database(workerData.filename, { fileMustExist: true })
  db.pragma('synchronous = ' + workerData.synchronous)
  db.pragma('cache_size = -2000')
} catch {
  db = undefined
}
let last = ''
const timer = db && setInterval(() => {
  try {
    const started = performance.now()
    const [r] = db.pragma('wal_checkpoint(PASSIVE)')
    // Only a checkpoint that moved pages is timed: an idle WAL is asked 20 times a second.
    const now = r.log + ':' + r.checkpointed
    if (r.checkpointed > 0 && now !== last) parentPort.postMessage({ seconds: (performance.now() - started) / 1000 })
    last = now
  } catch (error) { parentPort.postMessage(String(error)) }
}, workerData.intervalMs)
parentPort.on('message', () => {
  if (timer) clearInterval(timer)
  if (db) db.close()
  parentPort.close()
})
`

/**
 * Copies the WAL back into the database every `intervalMs` from a worker thread, so
 * that checkpoints (and their fsyncs) never stall the event loop that serves requests,
 * and the WAL, restarted by the next writer after each complete checkpoint, stays small.
 */
export function startCheckpointer(filename: string, synchronous: 'FULL' | 'NORMAL', intervalMs: number, log: (message: string) => void, timed: (seconds: number) => void = () => {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(source, { eval: true, workerData: { filename, synchronous, intervalMs, driver } })
  worker.on('message', (message: string | { seconds: number }) => (typeof message === 'string' ? log(`background checkpoint: ${message}`) : timed(message.seconds)))
  worker.on('error', (error) => log(`background checkpoint stopped: ${String(error)}`))
  worker.unref()
  // Once stopped, the process waits for the thread to close its connection: a process that
  // exited while the thread was inside SQLite (opening a file just removed, say) died with a
  // V8 fatal error instead of exiting.
  return {
    stop: () => {
      worker.ref()
      worker.postMessage('stop')
    },
  }
}
