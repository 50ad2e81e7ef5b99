import type { Representor, RenderContext, View } from '../../../representors/types.ts'
import type { Answers, Exchange } from '../graph/exchange.ts'
import type { Reply } from '../reply/reply.ts'
import type { Awaitable } from '../../store/types.ts'
import { acceptedType } from '../protocol/negotiation.ts'
import { originOf } from '../protocol/origin.ts'
import { fieldOf } from '../protocol/request-field.ts'

/**
 * How one kind of route answers: the graph's questions where its answer is its own, then its
 * reply. A route has what its methods need (mount.ts lists them; B10 lets no other through):
 * `represent` and `validatorHeaders` where it takes GET, `process` where it takes POST.
 */
export interface Handler {
  /** This route's answers to the graph's questions (see `Hooks`); a resource type's hooks override them. */
  readonly hooks: Partial<Answers>
  /** Before G7: fetches what the route names from the store (the row, the page), for `resourceExists` to judge. */
  load?(x: Exchange): Awaitable<void>
  /** Before O18: fetches what only the representation needs (a log page, embedded history). */
  prepare?(x: Exchange): Awaitable<void>
  /** Chooses a media type where Accept does not decide alone; `choose` by default. */
  negotiate?(x: Exchange): boolean
  /** The 200's validator and caching fields, of which a 304 repeats those RFC 9110 §15.4.5 lists. */
  validatorHeaders?(x: Exchange): Record<string, string>
  /** O18: the 200 to GET or HEAD. */
  represent?(x: Exchange): Reply
  /** N11: the effect of a POST, and its reply. */
  process?(x: Exchange): Promise<Reply>
}

// One list per app, so negotiation can remember its answers by the list itself.
const viewTypesOf = new WeakMap<readonly Representor[], readonly string[]>()
export const viewTypes = (x: Exchange): readonly string[] => {
  let types = viewTypesOf.get(x.app.representors)
  if (types === undefined) {
    types = x.app.representors.map((r) => r.mediaType)
    viewTypesOf.set(x.app.representors, types)
  }
  return types
}

/** Content negotiation over the media types the route provides (Koa's `accepts`, RFC 9110 §12.5.1); remembered. */
export function choose(x: Exchange): string | false {
  if (x.chosen === undefined) {
    x.chosen = acceptedType(x.ctx, x.hooks.contentTypesProvided(x))
    if (x.chosen !== false) {
      const r = x.app.representors.find((rep) => rep.mediaType === x.chosen)
      if (r !== undefined) x.representor = r
    }
  }
  return x.chosen
}

// Only formats with absolute links (Siren) ask for the origin, which costs a socket lookup.
class ExchangeRenderContext implements RenderContext {
  readonly base: string
  constructor(private readonly x: Exchange) {
    this.base = x.app.settings.basePath
  }
  get origin(): string {
    return originOf(this.x.ctx, this.x.app.settings.publicUrl)
  }
}

const renderContext = (x: Exchange): RenderContext => new ExchangeRenderContext(x)

export const render = (x: Exchange, view: View): string => (x.representor as Representor).render(view, renderContext(x))

export const VARY = 'Accept, Authorization, Cookie'

/** The If-Match that applies: the header, else an HTML form's hidden field. */
export const ifMatchOf = (x: Exchange): string | undefined => fieldOf(x.ctx, 'if-match') || x.formIfMatch || undefined
