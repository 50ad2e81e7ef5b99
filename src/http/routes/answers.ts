import type { DecisionContext, Hooks, RouteKind } from '../../hooks.ts'
import type { Answers, Exchange, TypeEntry } from '../graph/exchange.ts'
import { fieldOf } from '../protocol/request-field.ts'
import { defaultAnswers } from './defaults.ts'
import { handlers } from './handlers.ts'

let exchangeOf: (c: DecisionContext) => Exchange
let askedOn: (c: DecisionContext) => RouteKind
let asking: (c: DecisionContext, kind: RouteKind) => DecisionContext

/** The read-only view of an exchange a hook receives: facts only, neither Koa's context nor the graph's memos. */
class ExchangeContext implements DecisionContext {
  readonly #x: Exchange
  // The route whose answers the hook stands in for: the item's, when a create replies with the new item.
  #kind: RouteKind
  readonly route: DecisionContext['route']
  constructor(x: Exchange) {
    this.#x = x
    this.#kind = x.route.kind
    const { kind, entry, id, action } = x.route
    this.route = Object.freeze({ kind, ...(entry !== undefined && { type: entry.type.name }), ...(id !== undefined && { id }), ...(action !== undefined && { action }) })
  }
  static {
    exchangeOf = (c) => {
      if (!(c instanceof ExchangeContext)) throw new TypeError('defaultHooks answer only for the context a hook was given')
      return c.#x
    }
    askedOn = (c) => (c as ExchangeContext).#kind
    asking = (c, kind) => {
      (c as ExchangeContext).#kind = kind
      return c
    }
  }
  get method(): string { return this.#x.method }
  get path(): string { return this.#x.ctx.path }
  get principal(): DecisionContext['principal'] { return this.#x.principal }
  get row(): DecisionContext['row'] { return this.#x.row }
  get input(): unknown { return this.#x.input }
  get query(): DecisionContext['query'] { return this.#x.ctx.query }
  header(name: string): string { return fieldOf(this.#x.ctx, name.toLowerCase() as Lowercase<string>) }
}

/** The context hooks of this exchange receive, made once. */
const contextOf = (x: Exchange): DecisionContext => (x.context ??= new ExchangeContext(x))

// What each kind of route answers when no type says otherwise.
const builtIn = Object.fromEntries(Object.entries(handlers).map(([kind, h]) => [kind, { ...defaultAnswers, ...h.hooks }])) as Readonly<Record<RouteKind, Answers>>

const questions = Object.keys(defaultAnswers) as (keyof Hooks)[]

/** A type's hooks over a route's answers: the one place the graph's questions are resolved. */
function withOwn(kind: RouteKind, answers: Answers, own: Partial<Hooks> | undefined): Answers {
  if (own === undefined) return answers
  const merged: Record<string, (x: Exchange) => unknown> = { ...answers }
  for (const q of questions) {
    const hook = own[q] as ((c: DecisionContext) => unknown) | undefined
    if (hook !== undefined) merged[q] = (x) => hook(asking(contextOf(x), kind))
  }
  return merged as unknown as Answers
}

/** The answers of one kind of route for one resource type (or none). */
const answersOf = (kind: RouteKind, own?: Partial<Hooks>): Answers => withOwn(kind, builtIn[kind], own)

/** The answers the graph asks on every route of a type, resolved once when the app is built. */
export const typeAnswers = (own: Partial<Hooks> | undefined): TypeEntry['hooks'] => ({
  collection: answersOf('collection', own),
  item: answersOf('item', own),
  history: answersOf('history', own),
  action: answersOf('action', own),
})

/** The answers for an exchange's route: its type's, else the route's own. */
export const answersFor = (kind: RouteKind, entry: TypeEntry | undefined): Answers =>
  entry !== undefined && (kind === 'collection' || kind === 'item' || kind === 'history' || kind === 'action') ? entry.hooks[kind] : builtIn[kind]

/**
 * What the framework answers when a type does not: for the route the hook is asked on
 * (the item's, for the item a create replies with), so that a hook can build on it
 * (`(c) => defaultHooks.resourceExists(c) && …`).
 */
export const defaultHooks: Hooks = Object.fromEntries(questions.map((q) => [q, (c: DecisionContext) => {
  const x = exchangeOf(c)
  return (builtIn[askedOn(c)][q] as (x: Exchange) => unknown)(x)
}])) as unknown as Hooks
