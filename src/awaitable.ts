import type { Awaitable } from './store/types.ts'

/**
 * Calls `then` with the value, at once when it is one, after it settles when it is a
 * promise: code on SQLite's synchronous answers stays synchronous (no promise, no
 * microtask per GET), and the same code waits for a server database's.
 */
export function after<T, R>(value: Awaitable<T>, then: (value: T) => R): R | Promise<Awaited<R>> {
  return value instanceof Promise ? value.then(then) as Promise<Awaited<R>> : then(value)
}
