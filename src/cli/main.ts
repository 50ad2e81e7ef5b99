#!/usr/bin/env node
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { USAGE, type Command, type Output } from './command.ts'
import { exploreCommand } from './explore.ts'
import { graphCommand } from './graph.ts'
import { schemasCommand } from './schemas.ts'
import { serveCommand } from './serve.ts'
import { tokenCommand } from './token.ts'

/** The subcommands of `affordance`, in the order `--help` lists them. */
export const commands: Readonly<Record<string, Command>> = {
  serve: serveCommand,
  token: tokenCommand,
  graph: graphCommand,
  schemas: schemasCommand,
  explore: exploreCommand,
}

const width = Math.max(...Object.keys(commands).map((n) => n.length))
const usage = `Usage: affordance <command> [arguments]

Commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`).join('\n')}

affordance <command> --help  describes a command, its arguments and its settings.`

const wantsHelp = (a: string): boolean => a === '--help' || a === '-h'

/** Runs `affordance` with its arguments; the exit code, or undefined while a server runs. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number | undefined> {
  const [name, ...rest] = argv
  if (name === undefined || wantsHelp(name) || name === 'help') {
    const about = name === 'help' && rest[0] !== undefined ? commands[rest[0]] : undefined
    if (about !== undefined) io.out(about.usage)
    else if (name === undefined) io.err(usage)
    else io.out(usage)
    return name === undefined ? USAGE : 0
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined
  if (command === undefined) {
    io.err(`Unknown command "${name.slice(0, 40)}".\n${usage}`)
    return USAGE
  }
  if (rest.some(wantsHelp)) {
    io.out(command.usage)
    return 0
  }
  return command.run(rest, env, io)
}

// Run as the `affordance` command (npm links the bin by another path, so compare real files).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const code = await runCli(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) })
  if (code !== undefined) process.exitCode = code
}
