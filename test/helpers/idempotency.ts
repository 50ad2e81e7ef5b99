import type { Reply, TestServer } from './server.ts'

export const dispatcher = 'north-dispatcher'
export const newVisit = { patient: 'Idem Potent', address: '1 Retry Road', scheduled_for: '2026-12-03T10:00:00Z' }

/** Requests the idempotency tests share, on the server `serverOf` returns once it has started. */
export function idempotencyFixtures(serverOf: () => TestServer) {
  let n = 0
  return {
    /** A key no earlier request used. */
    freshKey: (): string => `key-${Date.now()}-${++n}`,
    /** POST /visits under an Idempotency-Key. */
    create: (key: string, as = dispatcher, json: unknown = newVisit): Promise<Reply> =>
      serverOf().request('POST', '/visits', { as, json, headers: { 'idempotency-key': key } }),
    historyLength: async (url: string): Promise<number> => (await serverOf().request('GET', `${url}/history`, { as: dispatcher })).json.items.length,
  }
}
