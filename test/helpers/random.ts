/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
export interface Random {
  (): number
  readonly seed: number
  int(below: number): number
  pick<T>(list: readonly T[]): T
  chance(p: number): boolean
}

/** A generator seeded with `seed`. */
export function random(seed: number): Random {
  let s = seed >>> 0
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (below: number): number => Math.floor(next() * below)
  return Object.assign(next, { seed, int, pick: <T>(list: readonly T[]): T => list[int(list.length)] as T, chance: (p: number) => next() < p })
}

/** The seed from `name` in the environment, else a new one (printed by the test on failure). */
export const seedFrom = (name: string): number => Number(process.env[name] ?? Math.floor(Math.random() * 2 ** 31))
