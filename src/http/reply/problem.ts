import type { Status } from './status.ts'

/** Every kind of failure the framework reports, each with a stable title. */
export const problemKinds = {
  'not-found': { status: 404, title: 'Not Found' },
  'misdirected-request': { status: 421, title: 'Misdirected Request' },
  'method-not-allowed': { status: 405, title: 'Method Not Allowed' },
  'not-implemented': { status: 501, title: 'Not Implemented' },
  'service-unavailable': { status: 503, title: 'Service Unavailable' },
  'uri-too-long': { status: 414, title: 'URI Too Long' },
  'malformed-request': { status: 400, title: 'Malformed Request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'content-too-large': { status: 413, title: 'Content Too Large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  'not-acceptable': { status: 406, title: 'Not Acceptable' },
  'precondition-failed': { status: 412, title: 'Precondition Failed' },
  'precondition-required': { status: 428, title: 'Precondition Required' },
  'illegal-transition': { status: 409, title: 'Illegal Transition' },
  'request-in-flight': { status: 409, title: 'Request In Flight' },
  'validation-failed': { status: 422, title: 'Validation Failed' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency Key Reused' },
  'too-many-requests': { status: 429, title: 'Too Many Requests' },
  'request-timeout': { status: 408, title: 'Request Timeout' },
  'header-fields-too-large': { status: 431, title: 'Request Header Fields Too Large' },
  'internal-error': { status: 500, title: 'Internal Server Error' },
} as const satisfies Record<string, { status: Status; title: string }>

export type ProblemKind = keyof typeof problemKinds

/** An RFC 9457 problem as a value; `extensions` become extra members. */
export interface Problem {
  readonly kind: ProblemKind
  readonly detail: string
  readonly extensions?: Readonly<Record<string, unknown>>
  readonly headers?: Readonly<Record<string, string>>
}

export const problem = (kind: ProblemKind, detail: string, more: Omit<Problem, 'kind' | 'detail'> = {}): Problem => ({ kind, detail, ...more })

/** Where the server describes a kind of problem, under the path the app is mounted at. */
export const problemTypeUrl = (kind: ProblemKind, base = ''): string => `${base}/problems/${kind}`

/**
 * The problem document (RFC 9457 §3) for a problem value at an instance URL; `request_id`
 * names the log line of the request, so that a user's report can be matched to it.
 */
export function problemDocument(p: Problem, instance: string, base = '', requestId?: string): Record<string, unknown> {
  const { status, title } = problemKinds[p.kind]
  return { type: problemTypeUrl(p.kind, base), title, status, detail: p.detail, instance, ...p.extensions, ...(requestId !== undefined && { request_id: requestId }) }
}

export const problemMediaType = 'application/problem+json'
