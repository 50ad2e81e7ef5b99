import { fieldsOf, type Field } from './fields.ts'
import { assertNever, type Affordance, type CollectionView, type HistoryEntry, type NavLink, type RenderContext, type Representor, type ResourceView, type SearchAffordance, type View } from './types.ts'

type Json = Record<string, unknown>

// Siren's schema requires absolute URIs (`format: uri`) for every href.
const absolute = (href: string, ctx: RenderContext): string => new URL(href, `${ctx.origin}/`).href

function link(l: NavLink, ctx: RenderContext): Json {
  return { rel: [l.rel], href: absolute(l.href, ctx), ...(l.title !== undefined && { title: l.title }), ...(l.type !== undefined && { type: l.type }) }
}

/** Siren fields carry the HTML input type; constraints go along as extension members. */
function field(f: Field): Json {
  return {
    name: f.name,
    type: f.inputType,
    ...(f.title !== undefined && { title: f.title }),
    // Siren has no choices of its own; a radio field's value list, each with its title, is the common reading.
    ...(f.options !== undefined && { value: f.options.map((c) => ({ value: c.value, ...(c.label !== undefined && { title: c.label }) })) }),
    required: f.required,
    ...(f.min !== undefined && { min: f.min }),
    ...(f.max !== undefined && { max: f.max }),
    ...(f.minLength !== undefined && { minLength: f.minLength }),
    ...(f.maxLength !== undefined && { maxLength: f.maxLength }),
    ...(f.pattern !== undefined && { pattern: f.pattern }),
  }
}

/** One Siren action for one legal affordance. */
function sirenAction(a: Affordance, ctx: RenderContext): Json {
  return { name: a.name, title: a.title, method: a.method, href: absolute(a.href, ctx), type: a.contentType, fields: fieldsOf(a.input, a.options).map(field) }
}

// Siren property values are scalars or arrays: nulls are left out, objects travel as JSON text.
function properties(values: Readonly<Record<string, unknown>>): Json {
  const out: Json = {}
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined) continue
    out[k] = typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : v
  }
  return out
}

function resourceEntity(view: ResourceView, ctx: RenderContext): Json {
  return {
    class: [view.type],
    title: view.title,
    properties: properties({ ...view.data, [view.stateField]: view.state }),
    links: view.links.map((l) => link(l, ctx)),
    actions: view.actions.map((a) => sirenAction(a, ctx)),
  }
}

/** The search as a Siren action sent with GET: its fields fill the query; choices as a value list, several allowed when `multiple`. */
function searchAction(s: SearchAffordance, ctx: RenderContext): Json {
  const fields = s.inputs.map((i) => ({
    name: i.name,
    type: i.inputType,
    title: i.title,
    required: false,
    ...(i.multiple && { multiple: true }),
    ...(i.placeholder !== undefined && { placeholder: i.placeholder }),
    ...(i.options !== undefined && { value: i.options.map((c) => ({ value: c.value, ...(c.label !== undefined && { title: c.label }) })) }),
  }))
  return { name: 'search', title: s.title, method: 'GET', href: absolute(s.href, ctx), type: 'application/x-www-form-urlencoded', fields }
}

function collectionEntity(view: CollectionView, ctx: RenderContext): Json {
  return {
    class: [view.type, 'collection'],
    title: view.title,
    properties: { count: view.items.length },
    entities: view.items.map((item) => ({ ...resourceEntity(item, ctx), rel: ['item'] })),
    links: view.links.map((l) => link(l, ctx)),
    actions: [...(view.create === undefined ? [] : [sirenAction(view.create, ctx)]), ...(view.search === undefined ? [] : [searchAction(view.search, ctx)])],
  }
}

const transition = (e: HistoryEntry): Json => ({ class: ['transition'], rel: ['item'], properties: properties({ ...e }) })

/** Siren (`application/vnd.siren+json`): entities with absolute links and actions with fields. */
export const siren: Representor = {
  mediaType: 'application/vnd.siren+json',
  code: 's',
  contract: 'siren',
  render(view: View, ctx: RenderContext): string {
    switch (view.kind) {
      case 'resource':
        return JSON.stringify(resourceEntity(view, ctx))
      case 'collection':
        return JSON.stringify(collectionEntity(view, ctx))
      case 'history':
        return JSON.stringify({ class: ['history'], title: view.title, entities: view.entries.map(transition), links: view.links.map((l) => link(l, ctx)) })
      case 'entry':
        return JSON.stringify({ class: ['entry'], title: view.title, links: [{ rel: ['self'], href: absolute(view.url, ctx) }, ...view.links.map((l) => link(l, ctx))] })
      default:
        return assertNever(view)
    }
  },
}
