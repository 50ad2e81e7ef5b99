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
  const names = exportSchemas([bookmark, visit], dir)
  console.log(`${names.length} schemas written to ${dir}/`)
}
