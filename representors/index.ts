import { restfulJson } from './restful-json.ts'
import type { Representor } from './types.ts'

/** The representors every app serves, RESTful JSON first (the default when any type is acceptable). */
export const builtinRepresentors: readonly Representor[] = [restfulJson]
