import { parseArgs } from 'node:util'
import { describeResource, HypermediaClient, ProblemError, type Format, type Resource } from '../client/index.ts'
import type { Command, Output } from './command.ts'

const usage = `Usage: affordance explore <url> [--token T] [--format json|hal|siren|html] [--follow <name>]... [--search <field>=<value>]... [--act <action> [--input '<json>']]

Opens <url>, follows each --follow link in turn, fills the collection's advertised search with
the --search values if given (a field given twice takes both values), takes the --act action if
given, and prints the resource it ends on: its data, links and actions. The token may also come
from AFFORDANCE_TOKEN.`

const formats: Readonly<Record<string, Format>> = { json: 'application/json', hal: 'application/hal+json', siren: 'application/vnd.siren+json', html: 'text/html' }

/** The command line walk: one resource printed per run, exit 1 on a refusal, 2 on bad arguments. */
async function explore(argv: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  let args
  try {
    args = parseArgs({ args: [...argv], allowPositionals: true, options: { token: { type: 'string' }, format: { type: 'string', default: 'json' }, follow: { type: 'string', multiple: true }, search: { type: 'string', multiple: true }, act: { type: 'string' }, input: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${usage}`)
    return 2
  }
  const { values, positionals } = args
  const url = positionals[0]
  const accept = formats[values.format ?? 'json']
  if (values.help === true || url === undefined || positionals.length > 1 || accept === undefined) {
    if (values.help === true) io.out(usage)
    else io.err(usage)
    return values.help === true ? 0 : 2
  }
  let input: Record<string, unknown> = {}
  if (values.input !== undefined) {
    try {
      const parsed: unknown = JSON.parse(values.input)
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object')
      input = parsed as Record<string, unknown>
    } catch (e) {
      io.err(`--input must be a JSON object: ${(e as Error).message}`)
      return 2
    }
  }
  const search: Record<string, string[]> = {}
  for (const pair of values.search ?? []) {
    const at = pair.indexOf('=')
    if (at < 1) {
      io.err(`--search takes <field>=<value>, not ${JSON.stringify(pair.slice(0, 60))}`)
      return 2
    }
    ;(search[pair.slice(0, at)] ??= []).push(pair.slice(at + 1))
  }
  const token = values.token ?? env.AFFORDANCE_TOKEN
  const client = new HypermediaClient({ accept, ...(token !== undefined && token !== '' && { token }) })
  try {
    let r: Resource = await client.open(url)
    for (const name of values.follow ?? []) r = await r.follow(name)
    if (values.search !== undefined) r = await r.act('search', search)
    if (values.act !== undefined) r = await r.act(values.act, input)
    io.out(describeResource(r))
    return 0
  } catch (e) {
    if (e instanceof ProblemError) {
      io.err(`${e.status} ${e.problem.title}\n${JSON.stringify(e.problem, null, 2)}`)
      return 1
    }
    io.err((e as Error).message)
    return 1
  }
}

export const exploreCommand: Command = { summary: 'follow links and take actions from the command line', usage, run: explore }
