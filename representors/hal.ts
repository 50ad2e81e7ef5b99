import { fieldsOf, type Field } from './fields.ts'
import { assertNever, type Affordance, type Choice, type CollectionView, type NavLink, type Representor, type ResourceView, type SearchAffordance, type View } from './types.ts'

type Json = Record<string, unknown>

function halLinks(links: readonly NavLink[]): Json {
  const out: Json = {}
  for (const l of links) {
    out[l.rel] = { href: l.href, ...(l.title !== undefined && { title: l.title }), ...(l.type !== undefined && { type: l.type }) }
  }
  return out
}

// The input types HAL-FORMS lists; choices (radio, checkbox) travel as `text` with `options`:
// a checkbox's are true and false.
const HAL_FORMS_TYPES = new Set(['hidden', 'text', 'textarea', 'search', 'tel', 'url', 'email', 'password', 'date', 'month', 'week', 'time', 'datetime-local', 'number', 'range', 'color'])

/** An inline option: the bare value, or `{ prompt, value }` when it has words of its own (HAL-FORMS "options"). */
const inlineOption = (c: Choice): unknown => (c.label === undefined ? c.value : { prompt: c.label, value: c.value })

const BOOLEANS: readonly unknown[] = [true, false]

/** A HAL-FORMS property: `regex` is the spec's name for a JSON Schema `pattern`. */
function property(f: Field): Json {
  const inline = f.options?.map(inlineOption) ?? (f.inputType === 'checkbox' ? BOOLEANS : undefined)
  return {
    name: f.name,
    type: HAL_FORMS_TYPES.has(f.inputType) ? f.inputType : 'text',
    required: f.required,
    ...(f.title !== undefined && { prompt: f.title }),
    ...(f.min !== undefined && { min: f.min }),
    ...(f.max !== undefined && { max: f.max }),
    ...(f.integer && { step: 1 }),
    ...(f.minLength !== undefined && { minLength: f.minLength }),
    ...(f.maxLength !== undefined && { maxLength: f.maxLength }),
    ...(f.pattern !== undefined && { regex: f.pattern }),
    ...(inline !== undefined && { options: { inline, minItems: f.required ? 1 : 0, maxItems: 1 } }),
  }
}

/** One HAL-FORMS template for one legal action. */
function halTemplate(a: Affordance): Json {
  return { title: a.title, method: a.method, target: a.href, contentType: a.contentType, properties: fieldsOf(a.input, a.options).map(property) }
}

/**
 * `_templates` keyed by action name, plus `default`. HAL-FORMS pre-defines only the key
 * `default` (a lone template MUST use it) and lets clients ignore the other entries, so
 * the first legal action is also offered as `default`; the named keys let clients (and
 * contracts) find every action by its name.
 */
function halTemplates(actions: readonly Affordance[]): Json | undefined {
  const first = actions[0]
  if (first === undefined) return undefined
  const out: Json = { default: halTemplate(first) }
  for (const a of actions) out[a.name] = halTemplate(a)
  return out
}

function resourceBody(view: ResourceView): Json {
  const templates = halTemplates(view.actions)
  return {
    ...view.data,
    [view.stateField]: view.state,
    _links: halLinks(view.links),
    ...(templates !== undefined && { _templates: templates }),
  }
}

/** The search as a HAL-FORMS template sent with GET: its properties fill the target's query, choices as `options`. */
function searchTemplate(s: SearchAffordance): Json {
  return {
    title: s.title,
    method: 'GET',
    target: s.href,
    contentType: 'application/x-www-form-urlencoded',
    properties: s.inputs.map((i) => ({
      name: i.name,
      prompt: i.title,
      type: i.inputType,
      required: false,
      ...(i.placeholder !== undefined && { placeholder: i.placeholder }),
      ...(i.options !== undefined && { options: { inline: i.options.map(inlineOption), minItems: 0, ...(!i.multiple && { maxItems: 1 }) } }),
    })),
  }
}

function collectionBody(view: CollectionView): Json {
  const actions = halTemplates(view.create === undefined ? [] : [view.create])
  const search = view.search === undefined ? undefined : searchTemplate(view.search)
  // A lone template must be the default (HAL-FORMS): the search is, where the caller may not create.
  const templates = search === undefined ? actions : { ...(actions ?? { default: search }), search }
  return {
    count: view.items.length,
    _links: halLinks(view.links),
    _embedded: { item: view.items.map(resourceBody) },
    ...(templates !== undefined && { _templates: templates }),
  }
}

/** HAL (`application/hal+json`) with HAL-FORMS `_templates` for every legal action. */
export const hal: Representor = {
  mediaType: 'application/hal+json',
  code: 'l',
  contract: 'hal-forms',
  render(view: View): string {
    switch (view.kind) {
      case 'resource':
        return JSON.stringify(resourceBody(view))
      case 'collection':
        return JSON.stringify(collectionBody(view))
      case 'history':
        return JSON.stringify({ _links: halLinks(view.links), _embedded: { item: view.entries } })
      case 'entry':
        return JSON.stringify({ title: view.title, _links: halLinks([{ rel: 'self', href: view.url }, ...view.links]) })
      default:
        return assertNever(view)
    }
  },
}

/** The same document under the HAL-FORMS media type, for clients that ask for it by name. */
export const halForms: Representor = { ...hal, mediaType: 'application/prs.hal-forms+json', code: 'f' }
