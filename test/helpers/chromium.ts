import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** Where the browser tests expect the system Chromium. */
const chromiumPath = '/usr/bin/chromium'

/** Flags that keep a headless Chromium quiet, offline and independent of any profile. */
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] as const

// Installing a browser takes minutes on a slow mirror, but must not hang a test run forever.
const TEN_MINUTES = 10 * 60 * 1000

function apt(args: readonly string[]): void {
  // Wait for another apt run to release its lock rather than failing at once.
  execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: TEN_MINUTES,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
}

/** Makes sure the system Chromium exists, installing the Debian package when it does not; returns its path. */
export function ensureChromium(): string {
  if (existsSync(chromiumPath)) return chromiumPath
  try {
    apt(['update'])
    apt(['install', '-y', '--no-install-recommends', 'chromium'])
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n').slice(-3).join(' | ') ?? ''
    throw new Error(`Chromium is missing at ${chromiumPath} and "apt-get install chromium" failed (it needs root and the Debian mirrors): ${stderr || (error as Error).message}`, { cause: error })
  }
  if (!existsSync(chromiumPath)) throw new Error(`"apt-get install chromium" finished but ${chromiumPath} is still missing`)
  return chromiumPath
}
