import type Koa from 'koa'

/**
 * What both hand-written baselines (SQLite and PostgreSQL) share: the bookmark machine written
 * out by hand, who may see a row, the JSON body and the problem body, so that they answer alike.
 */

/** A resource row as the baselines read it. */
export interface Row { seq: number; id: string; type: string; tenant: string; owner: string | null; state: string; data: string; version: number }

/** The principal a token row names. */
export interface Caller { user_id: string; tenant: string; roles: string }

/** The bookmark machine, written out by hand: actions leaving each state. */
const edges: Record<string, Record<string, string>> = {
  queued: { read: 'read', archive: 'archived' },
  read: { reread: 'queued' },
  archived: { queue: 'queued' },
}

/** The bearer token of a request, if it carries one. */
export const bearer = (ctx: Koa.Context): string | undefined => /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1]

/** Whether the caller may see the row: a bookmark of its tenant that it owns, or any of them for an admin. */
export function visible(row: Row | undefined, who: Caller): row is Row {
  return row !== undefined && row.type === 'bookmark' && row.tenant === who.tenant && (row.owner === who.user_id || who.roles.includes('admin'))
}

/** The RESTful JSON body of a row: its data, a link per legal action, the collection and history links. */
export function body(row: Row): Record<string, unknown> {
  const url = `/bookmarks/${row.id}`
  const out: Record<string, unknown> = { url, data: { ...(JSON.parse(row.data) as object), read_status: row.state } }
  for (const action of Object.keys(edges[row.state] ?? {})) out[`${action}_url`] = `${url}/${action}`
  out.collection_url = '/bookmarks'
  out.history_url = `${url}/history`
  return out
}

/** Answers with an RFC 9457 problem body. */
export function problem(ctx: Koa.Context, status: number, title: string, extra: Record<string, unknown> = {}): void {
  ctx.status = status
  ctx.type = 'application/problem+json'
  ctx.body = JSON.stringify({ type: 'about:blank', title, status, ...extra })
}

/** A transition request as both baselines read it: the action, its (empty) JSON input and the version If-Match names. */
export interface TransitionRequest { readonly action: string; readonly input: object; readonly expected: number }

/** Reads a transition request from its body text; answers the problem (400, 422, 428) and returns undefined when it is not one. */
export function transitionRequest(ctx: Koa.Context, raw: string): TransitionRequest | undefined {
  let input: unknown = {}
  try {
    if (raw !== '') input = JSON.parse(raw)
  } catch {
    return void problem(ctx, 400, 'Malformed JSON')
  }
  if (typeof input !== 'object' || input === null || Object.keys(input).length > 0) return void problem(ctx, 422, 'This action takes no input')
  const expected = /^"(\d+)"$/.exec(ctx.get('If-Match'))?.[1]
  if (expected === undefined) return void problem(ctx, 428, 'If-Match required')
  return { action: ctx.params.action ?? '', input, expected: Number(expected) }
}

/** The state the request moves `row` to; answers the problem (404, 412, 409) and returns undefined when it cannot. */
export function transitionTarget(ctx: Koa.Context, row: Row | undefined, who: Caller, request: TransitionRequest): { row: Row; to: string } | undefined {
  if (!visible(row, who)) return void problem(ctx, 404, 'Not found')
  if (row.version !== request.expected) return void problem(ctx, 412, 'Precondition failed', { current_version: row.version, current_state: row.state })
  const to = edges[row.state]?.[request.action]
  if (to === undefined) return void problem(ctx, 409, 'Illegal transition', { current_state: row.state })
  return { row, to }
}
