import { resolve } from 'node:path'
import { bookmark, visit } from '../resources/index.ts'
import { exportSchemas } from './schemas.ts'

/** `npm run schemas [-- --out dir]`: exports envelope and contract schemas (default `schemas-export/`). */
const args = process.argv.slice(2)
const at = args.indexOf('--out')
const dir = at === -1 ? 'schemas-export' : args[at + 1]
if (dir === undefined || dir === '' || (args.length > 0 && at === -1)) {
  console.error('usage: npm run schemas [-- --out <dir>]')
  process.exitCode = 2
} else {
  // npm runs scripts from the project folder; a relative --out means where the user stands (npm's INIT_CWD).
  const names = exportSchemas([bookmark, visit], resolve(process.env.INIT_CWD ?? process.cwd(), dir))
  console.log(`${names.length} schemas written to ${dir}/`)
}
