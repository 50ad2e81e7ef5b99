import type { Context } from 'koa'
import { fieldOf } from './request-field.ts'

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

const hostPort = (address: string, port: number): string => `${address.includes(':') ? `[${address}]` : address}:${port}`

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
