import type { Context } from 'koa'
import { fieldOf } from './request-field.ts'

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

const hostPort = (address: string, port: number): string => `${address.includes(':') ? `[${address}]` : address}:${port}`

/** The hosts a request may name besides the listening address: exact `host:port` forms, and names valid on any port. */
export interface HostRules {
  readonly exact: ReadonlySet<string>
  readonly names: ReadonlySet<string>
}

/** The public URL's host (with and without its default port) and the allowed hosts (a name alone matches any port). */
export function hostRulesOf(publicUrl: string | undefined, allowed: readonly string[]): HostRules {
  const exact = new Set<string>()
  const names = new Set<string>()
  if (publicUrl !== undefined) {
    const url = new URL(publicUrl)
    exact.add(url.host)
    exact.add(`${url.hostname}:${url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : url.port}`)
  }
  for (const entry of allowed.map((h) => h.trim().toLowerCase()).filter((h) => h !== '')) {
    if (/:\d+$/.test(entry)) exact.add(entry)
    else names.add(entry)
  }
  return { exact, names }
}

/**
 * Does `Host` name this server (RFC 9110 §7.4)? The address the connection came in on (or
 * `localhost` on a loopback address) on any port, the public URL's host, or an allowed host. A page on
 * another name that resolves to us (DNS rebinding) names its own host, and is refused.
 */
export function hostIsOurs(ctx: Context, rules: HostRules): boolean {
  const host = fieldOf(ctx, 'host').toLowerCase()
  // Only HTTP/1.0 may omit Host (the server refuses a 1.1 request without one); a browser always sends it.
  if (host === '' || rules.exact.has(host)) return true
  const name = host.replace(/:\d+$/, '')
  if (rules.names.has(name)) return true
  // Our own address, on any port: no other site can own that name.
  const address = ctx.req.socket.localAddress ?? ''
  const bare = address.replace(/^::ffff:/, '')
  return name === (bare.includes(':') ? `[${bare}]` : bare) || (LOOPBACK.has(address) && name === 'localhost')
}

/**
 * The origin absolute links are built from: the configured public URL, else the request's
 * own origin — but only when its `Host` names the address the server listens on (or
 * `localhost` on a loopback address); a forged `Host` would otherwise plant links to
 * another site in cached representations.
 */
export function originOf(ctx: Context, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return publicUrl
  const socket = ctx.req.socket
  const address = socket.localAddress ?? '127.0.0.1'
  const port = socket.localPort ?? 80
  const listening = hostPort(address.replace(/^::ffff:/, ''), port)
  const host = fieldOf(ctx, 'host').toLowerCase()
  const trusted = host === listening || (LOOPBACK.has(address) && host === `localhost:${port}`)
  return `${ctx.protocol}://${trusted ? host : listening}`
}
