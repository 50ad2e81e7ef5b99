import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { schemaFiles } from '../contracts/schema-files.ts'
import type { ResourceType } from '../resource.ts'
import { USAGE, userFolder, type Command } from './command.ts'
import { typesOf } from './types-module.ts'

/** Writes the schema files into `dir`; returns their names. */
export function exportSchemas(types: readonly ResourceType[], dir: string): string[] {
  mkdirSync(dir, { recursive: true })
  const files = schemaFiles(types)
  for (const [name, doc] of files) writeFileSync(join(dir, name), `${JSON.stringify(doc, null, 2)}\n`)
  return [...files.keys()]
}

const usage = `Usage: affordance schemas (<module> | --demo) [--out <dir>]

Writes the JSON Schemas of the envelopes of every format and the contract of each resource
type in each format into <dir> (default schemas-export), for any validator to use.`

export const schemasCommand: Command = {
  summary: 'export envelope and contract JSON Schemas',
  usage,
  async run(argv, env, io) {
    const types = await typesOf(argv, env)
    let dir: string | undefined
    try {
      if (!types.ok) throw new Error(types.error)
      const { values } = parseArgs({ args: types.rest, options: { out: { type: 'string', default: 'schemas-export' } }, strict: true, allowPositionals: false })
      dir = values.out
      if (dir === undefined || dir === '') throw new Error('--out needs a folder')
    } catch (error) {
      io.err(`${(error as Error).message}\n${usage}`)
      return USAGE
    }
    if (!types.ok) return USAGE
    // A relative --out means where the user stands, also under an npm script.
    const names = exportSchemas(types.types, resolve(userFolder(env), dir))
    io.out(`${names.length} schemas written to ${dir}/`)
    return 0
  },
}
