import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

// The shape a newcomer can walk: short files, folders small enough to read whole.
const test = suite('structure')

const root = fileURLToPath(new URL('..', import.meta.url))
const MAX_LINES = 300
const MAX_FILES = 15

/** Every folder under `dir` with the TypeScript sources it holds directly. */
function folders(dir: string): { dir: string; files: string[] }[] {
  const entries = readdirSync(dir, { withFileTypes: true })
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(dir, e.name))
  return [{ dir, files }, ...entries.filter((e) => e.isDirectory()).flatMap((e) => folders(join(dir, e.name)))]
}

const sources = ['src', 'representors'].flatMap((d) => folders(join(root, d)))
const where = (path: string): string => relative(root, path)

test('every source folder is found', () => {
  assert.ok(sources.length > 5)
  assert.ok(sources.some((f) => where(f.dir) === join('src', 'http', 'graph')))
})

test(`no source file is over ${MAX_LINES} lines`, () => {
  const long = sources.flatMap((f) => f.files)
    .map((file) => ({ file: where(file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
    .filter((f) => f.lines > MAX_LINES)
  assert.equal(long, [], `split these files: ${long.map((f) => `${f.file} (${f.lines})`).join(', ')}`)
})

test(`no folder holds more than ${MAX_FILES} source files`, () => {
  const crowded = sources.filter((f) => f.files.length > MAX_FILES).map((f) => `${where(f.dir)} (${f.files.length})`)
  assert.equal(crowded, [], `split these folders: ${crowded.join(', ')}`)
})

test.run()
