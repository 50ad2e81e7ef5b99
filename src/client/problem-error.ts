/** An RFC 9457 problem document as the client received it. */
export interface ProblemDetails {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail?: string
  readonly instance?: string
  readonly [extension: string]: unknown
}

/** A request the server refused: the HTTP status and the problem details it sent. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError'
  readonly status: number
  readonly problem: ProblemDetails

  constructor(status: number, problem: ProblemDetails, readonly method = 'GET', readonly url = '') {
    super(`${method} ${url} → ${status} ${problem.title}${problem.detail === undefined ? '' : `: ${problem.detail}`}`)
    this.status = status
    this.problem = problem
  }

  /** The problem type URI (`about:blank` when the server sent none). */
  get type(): string {
    return this.problem.type
  }
}

/** The problem details of a response body, or a plain one when the body is not a problem document. */
export function problemOf(status: number, statusText: string, contentType: string, body: string): ProblemDetails {
  if (/^application\/problem\+json/i.test(contentType)) {
    try {
      const doc: unknown = JSON.parse(body)
      if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
        const d = doc as Record<string, unknown>
        return { ...d, type: typeof d.type === 'string' ? d.type : 'about:blank', title: typeof d.title === 'string' ? d.title : statusText, status: typeof d.status === 'number' ? d.status : status }
      }
    } catch {
      // Not JSON after all: fall through to the plain problem.
    }
  }
  return { type: 'about:blank', title: statusText || `HTTP ${status}`, status, ...(body !== '' && { detail: body.slice(0, 500) }) }
}
