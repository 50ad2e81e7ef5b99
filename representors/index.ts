import { hal, halForms } from './hal.ts'
import { html } from './html.ts'
import { restfulJson } from './restful-json.ts'
import { siren } from './siren.ts'
import type { Representor } from './types.ts'

export { hal } from './hal.ts'
export { html } from './html.ts'
export { renderProblemPage } from './html-problem.ts'
export { restfulJson } from './restful-json.ts'
export { siren } from './siren.ts'
export type * from './types.ts'

/** The formats every app serves, in order of preference when any type is acceptable (RESTful JSON first, HTML last). */
export const builtinRepresentors: readonly Representor[] = [restfulJson, hal, siren, halForms, html]
