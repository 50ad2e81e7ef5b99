import type { Context } from 'koa'
import { ALWAYS, ON_HTML } from './browser-policy.ts'
import type { Reply } from './reply.ts'
import { problemDocument, problemKinds, problemMediaType, type Problem } from './problem.ts'
import { instanceOf } from '../protocol/target.ts'
import { requestIdIn } from '../../ops/observe.ts'

/** Renders problems for people, its links under `base` (the path the app is mounted at); registered by the HTML representor, if any. */
export type ProblemPage = (doc: Record<string, unknown>, base: string) => string

/** How problems are written: the page for browsers, if any, and the path the app is mounted at ('' at the root). */
export interface ProblemOutput {
  readonly page?: ProblemPage | undefined
  readonly base?: string
}

/**
 * The one place a reply becomes an HTTP response, and the one place a problem value
 * becomes a problem document (RFC 9457): JSON for programs, a page for browsers.
 */
export function writeReply(ctx: Context, reply: Reply, trace: readonly string[] | undefined, out: ProblemOutput = {}): void {
  ctx.status = reply.status
  // A 304 has no body to sniff, and repeats only the validators and caching fields of its 200 (RFC 9110 §15.4.5).
  if (reply.status !== 304) ctx.set(ALWAYS)
  if (reply.headers !== undefined) ctx.set(reply.headers)
  if (trace !== undefined) ctx.set('Affordance-Trace', trace.join(','))
  if (reply.problem !== undefined) {
    writeProblem(ctx, reply.problem, out)
    return
  }
  if (reply.status === 204 || reply.status === 304 || reply.body === undefined) {
    ctx.body = null
    ctx.status = reply.status
    return
  }
  setType(ctx, reply.type ?? 'application/octet-stream')
  if (reply.type?.startsWith('text/html') === true) ctx.set(ON_HTML)
  ctx.body = reply.body
}

// Koa's `ctx.type` looks a media type's charset up on every call; the few types replies carry are looked up once.
const typeFields = new Map<string, string>()

function setType(ctx: Context, type: string): void {
  const known = typeFields.get(type)
  if (known !== undefined) {
    ctx.set('Content-Type', known)
    return
  }
  ctx.type = type
  const field = ctx.response.get('Content-Type')
  if (typeof field === 'string' && field !== '' && typeFields.size < 64) typeFields.set(type, field)
}

function writeProblem(ctx: Context, p: Problem, { page, base = '' }: ProblemOutput): void {
  if (p.headers !== undefined) ctx.set(p.headers)
  const doc = problemDocument(p, instanceOf(ctx), base, requestIdIn(ctx))
  ctx.status = problemKinds[p.kind].status
  ctx.remove('ETag')
  ctx.remove('Last-Modified')
  if (page !== undefined && ctx.accepts(problemMediaType, 'application/json', 'text/html') === 'text/html') {
    ctx.type = 'text/html; charset=utf-8'
    ctx.set(ON_HTML)
    ctx.body = page(doc, base)
    return
  }
  ctx.type = problemMediaType
  ctx.body = JSON.stringify(doc)
}
