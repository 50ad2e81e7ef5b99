import { parseArgs } from 'node:util'
import { describeResource, HypermediaClient, ProblemError, type Format, type Resource } from './index.ts'

const usage = `usage: npm run explore -- <url> [--token T] [--format json|hal|siren|html] [--follow <name>]... [--act <action> [--input '<json>']]

Opens <url>, follows each --follow link in turn, takes the --act action if given, and prints
the resource it ends on: its data, links and actions. The token may also come from AFFORDANCE_TOKEN.`

const formats: Readonly<Record<string, Format>> = { json: 'application/json', hal: 'application/hal+json', siren: 'application/vnd.siren+json', html: 'text/html' }

/** The command line walk: one resource printed per run, exit 1 on a refusal, 2 on bad arguments. */
async function main(argv: string[]): Promise<number> {
  let args
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { token: { type: 'string' }, format: { type: 'string', default: 'json' }, follow: { type: 'string', multiple: true }, act: { type: 'string' }, input: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${usage}`)
    return 2
  }
  const { values, positionals } = args
  const url = positionals[0]
  const accept = formats[values.format ?? 'json']
  if (values.help === true || url === undefined || positionals.length > 1 || accept === undefined) {
    console.error(usage)
    return values.help === true ? 0 : 2
  }
  let input: Record<string, unknown> = {}
  if (values.input !== undefined) {
    try {
      const parsed: unknown = JSON.parse(values.input)
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object')
      input = parsed as Record<string, unknown>
    } catch (e) {
      console.error(`--input must be a JSON object: ${(e as Error).message}`)
      return 2
    }
  }
  const token = values.token ?? process.env.AFFORDANCE_TOKEN
  const client = new HypermediaClient({ accept, ...(token !== undefined && token !== '' && { token }) })
  try {
    let r: Resource = await client.open(url)
    for (const name of values.follow ?? []) r = await r.follow(name)
    if (values.act !== undefined) r = await r.act(values.act, input)
    console.log(describeResource(r))
    return 0
  } catch (e) {
    if (e instanceof ProblemError) {
      console.error(`${e.status} ${e.problem.title}\n${JSON.stringify(e.problem, null, 2)}`)
      return 1
    }
    console.error((e as Error).message)
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))
