import { restfulJson } from './restful-json.ts'
import type { Representor } from './types.ts'

export { restfulJson } from './restful-json.ts'
export type * from './types.ts'

/** The formats every app serves, in order of preference when any type is acceptable (RESTful JSON first). */
export const builtinRepresentors: readonly Representor[] = [restfulJson]
