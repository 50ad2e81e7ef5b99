// The shapes both generators of bad requests share (bodies in bad-requests.ts, framing in bad-framing.ts).

/** One generated request that must be refused (or, for a read, answered) without harm. */
export type BadRequest =
  | { readonly via: 'fetch'; readonly method: string; readonly path: string; readonly headers: Record<string, string>; readonly body?: Buffer; readonly label: string }
  | { readonly via: 'raw'; readonly method: string; readonly bytes: Buffer; readonly label: string }

/** Existing resources the requests aim at, and tokens to send. */
export interface Fixture {
  readonly bookmark: string
  readonly visit: string
  readonly tokens: Readonly<Record<string, string>>
}
