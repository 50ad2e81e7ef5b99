/** The media types the client can ask for and read. */
export type Format = 'application/json' | 'application/hal+json' | 'application/vnd.siren+json' | 'text/html'

/** One input of an action, as a form or template describes it. */
export interface Field {
  readonly name: string
  /** An HTML input type (`text`, `number`, `hidden`, ...); `text` when absent. */
  readonly type?: string
  readonly title?: string
  readonly required?: boolean
  /** A value to send back unchanged (hidden fields) or a default. */
  readonly value?: string
  readonly pattern?: string
  readonly min?: number
  readonly max?: number
  readonly minLength?: number
  readonly maxLength?: number
  readonly options?: readonly string[]
}

/** A way to change the resource: where, how, and with what body. */
export interface ActionInfo {
  readonly href: string
  readonly method: string
  readonly contentType: string
  readonly title?: string
  readonly fields?: readonly Field[]
}

/** What a reader extracts from one representation. */
export interface Reading {
  readonly data: Readonly<Record<string, unknown>>
  /** Navigation links: name → absolute href, followed with GET. */
  readonly links: Readonly<Record<string, string>>
  readonly actions: Readonly<Record<string, ActionInfo>>
  /** The hrefs of the items a collection embeds. */
  readonly items: readonly string[]
}

/** A reader turns a body (already resolved against `base`) into a reading. */
export type Reader = (body: string, base: string) => Reading
