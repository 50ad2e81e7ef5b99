/** Where a command writes; the process streams unless a caller (a test) says otherwise. */
export interface Output {
  out(line: string): void
  err(line: string): void
}

/** One subcommand of `affordance`: its usage (shown by `--help`) and what it does, returning the exit code. */
export interface Command {
  readonly summary: string
  readonly usage: string
  /** The exit code; undefined while the command keeps running (a server). */
  run(argv: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number | undefined>
}

/** Exit codes: 1 when the work failed, 2 when the command line or the environment was wrong. */
export const FAILED = 1
export const USAGE = 2

/** The folder a user's relative paths mean: npm runs scripts from the project's folder and says where the user stood in INIT_CWD. */
export const userFolder = (env: NodeJS.ProcessEnv): string => env.INIT_CWD ?? process.cwd()
