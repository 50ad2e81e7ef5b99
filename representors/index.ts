export { restfulJson } from './restful-json.ts'
export { html } from './html.ts'
export { renderProblemPage } from './html-problem.ts'
import { html } from './html.ts'
import { restfulJson } from './restful-json.ts'
import type { Representor } from './types.ts'

/** The representors every app serves, in order of preference: RESTful JSON first, so that a wildcard Accept gets JSON. */
export const builtinRepresentors: readonly Representor[] = [restfulJson, html]
