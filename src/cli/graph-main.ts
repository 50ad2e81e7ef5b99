import { bookmarkMachine, visitMachine } from '../resources/index.ts'
import { graph } from './graph.ts'

/** Writes a demo machine's diagram to stdout. */
const result = await graph([bookmarkMachine, visitMachine], process.argv.slice(2))
if (result.ok) process.stdout.write(result.text)
else {
  console.error(result.error)
  process.exitCode = 2
}
