import { urlKey } from '../fsm/url-key.ts'
import type { Schema } from '../../representors/types.ts'

/** Where one format keeps the things a contract pins. */
export interface ContractFormat {
  readonly name: string
  readonly mediaType: string
  /** The schema of a resource whose state field holds `state`. */
  inState(stateField: string, state: string): Schema
  /** The state field must name one of the machine's states. */
  stateIn(stateField: string, states: readonly string[]): Schema
  /** A resource that offers every one of these actions. */
  has(actions: readonly string[]): Schema
  /** A resource that offers none of these actions. */
  lacks(actions: readonly string[]): Schema
  /** Matches a collection body (as opposed to one resource). */
  isCollection: Schema
  /** Applies a schema to every item of a collection body. */
  eachItem(item: Schema): Schema
}

const at = (path: readonly string[], leaf: Schema): Schema =>
  path.reduceRight<Schema>((inner, key) => ({ type: 'object', properties: { [key]: inner }, required: [key] }), leaf)

export const restfulJsonFormat: ContractFormat = {
  name: 'restful-json',
  mediaType: 'application/json',
  inState: (field, state) => at(['data', field], { const: state }),
  stateIn: (field, states) => at(['data', field], { enum: states }),
  has: (actions) => ({ required: actions.map(urlKey) }),
  lacks: (actions) => ({ not: { anyOf: actions.map((a) => ({ required: [urlKey(a)] })) } }),
  isCollection: { required: ['items'] },
  eachItem: (item) => ({ properties: { items: { items: item } } }),
}

export const halFormsFormat: ContractFormat = {
  name: 'hal-forms',
  mediaType: 'application/hal+json',
  inState: (field, state) => at([field], { const: state }),
  stateIn: (field, states) => at([field], { enum: states }),
  has: (actions) => at(['_templates'], { required: [...actions] }),
  // An absent `_templates` offers nothing, so it satisfies any "must not".
  lacks: (actions) => ({ properties: { _templates: { not: { anyOf: actions.map((a) => ({ required: [a] })) } } } }),
  isCollection: { required: ['_embedded'] },
  eachItem: (item) => ({ properties: { _embedded: { properties: { item: { items: item } } } } }),
}

const named = (action: string): Schema => ({ type: 'object', properties: { name: { const: action } }, required: ['name'] })

export const sirenFormat: ContractFormat = {
  name: 'siren',
  mediaType: 'application/vnd.siren+json',
  inState: (field, state) => at(['properties', field], { const: state }),
  stateIn: (field, states) => at(['properties', field], { enum: states }),
  has: (actions) => ({ required: ['actions'], properties: { actions: { allOf: actions.map((a) => ({ contains: named(a) })) } } }),
  lacks: (actions) => ({ properties: { actions: { not: { contains: { anyOf: actions.map(named) } } } } }),
  isCollection: { required: ['class'], properties: { class: { contains: { const: 'collection' } } } },
  eachItem: (item) => ({ properties: { entities: { items: item } } }),
}

/** Every format that has contracts, by name. */
export const contractFormats: readonly ContractFormat[] = [restfulJsonFormat, halFormsFormat, sirenFormat]
