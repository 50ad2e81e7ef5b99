import { randomUUID } from 'node:crypto'

// Letters, digits and the punctuation of common trace ids (UUIDs, ULIDs, `Root=1-…` minus `;`), short enough to log and echo.
const wellFormed = /^[A-Za-z0-9._:+=/@-]{1,128}$/

/** The caller's `X-Request-Id` when it is well-formed, else a new one: it is echoed and logged, so nothing else is trusted. */
export const requestIdOf = (field: string | readonly string[] | undefined): string =>
  typeof field === 'string' && wellFormed.test(field) ? field : randomUUID()
