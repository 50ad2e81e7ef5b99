import type { Exchange, RouteKind } from '../graph/exchange.ts'
import { action } from './action.ts'
import { collection } from './collection.ts'
import type { Handler } from './handler-kit.ts'
import { history } from './history.ts'
import { item } from './item.ts'
import { session } from './session.ts'
import { entryPoint, health, machine, problemType, ready, schema } from './static.ts'

export type { Handler } from './handler-kit.ts'

const none: Handler = { ...health, hooks: { ...health.hooks, resourceExists: () => false } }

/** Every kind of route, by its kind. */
export const handlers: Readonly<Record<RouteKind, Handler>> = { none, entry: entryPoint, health, ready, machine, schema, 'problem-type': problemType, collection, item, history, action, session }

export const handlerOf = (x: Exchange): Handler => handlers[x.route.kind]
