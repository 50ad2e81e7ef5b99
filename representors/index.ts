import { hal, halForms } from './hal.ts'
import { restfulJson } from './restful-json.ts'
import { siren } from './siren.ts'
import type { Representor } from './types.ts'

export { hal, halForms } from './hal.ts'
export { restfulJson } from './restful-json.ts'
export { siren } from './siren.ts'
export type * from './types.ts'

/** The representors every app serves, in order of preference: RESTful JSON answers `*` `/` `*`. */
export const builtinRepresentors: readonly Representor[] = [restfulJson, hal, siren, halForms]
