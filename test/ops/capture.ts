import { pino, type Logger } from 'pino'

/** A logger whose lines are kept in memory, one string each, for tests to read. */
export function captureLogger(level = 'info'): { logger: Logger; lines: string[]; records(): Record<string, unknown>[] } {
  const lines: string[] = []
  const logger = pino({ level }, { write: (line: string) => { lines.push(line) } })
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) }
}
