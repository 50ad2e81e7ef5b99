import type { HypermediaClient, Resource } from '../../src/index.ts'

// A collection's search as a caller finds it: filled with values read from the list itself,
// its answer must be exactly the listed items that match, in the list's order, page after page.

type Input = Record<string, string[]>
interface Item { readonly url: string; readonly data: Readonly<Record<string, unknown>> }

const RANGE = /^(.+)_(after|before)$/
const MAX_ITEMS = 40

/** Every item URL of a list, following its next links. */
async function pages(first: Resource): Promise<string[]> {
  const urls: string[] = []
  for (let page: Resource | undefined = first; page !== undefined; page = page.links.next === undefined ? undefined : await page.follow('next')) urls.push(...page.items)
  return urls
}

const compare = (a: unknown, b: string): number | undefined => {
  if (typeof a === 'number' || (typeof a === 'string' && /^-?[0-9.]+$/.test(a) && /^-?[0-9.]+$/.test(b))) return Number(a) - Number(b)
  if (typeof a !== 'string' || Number.isNaN(Date.parse(a)) || Number.isNaN(Date.parse(b))) return undefined
  return Date.parse(a) - Date.parse(b)
}

/** The model: every filled input met (an equality by one of its values, a bound strictly). */
function matches(item: Item, input: Input): boolean {
  return Object.entries(input).every(([name, values]) => {
    const range = RANGE.exec(name)
    if (range !== null && !(name in item.data)) {
      const c = compare(item.data[range[1] as string], values[0] as string)
      return c !== undefined && (range[2] === 'after' ? c > 0 : c < 0)
    }
    return values.includes(String(item.data[name]))
  })
}

/** Searches to try: each field alone, filled from the items, and all of them together. */
function searchesFrom(fields: readonly string[], items: readonly Item[]): Input[] {
  const alone: Input[] = []
  for (const name of fields) {
    const range = RANGE.exec(name)
    const field = range === null ? name : (range[1] as string)
    const found = items.map((i) => i.data[field]).filter((v) => v !== undefined && v !== null && v !== '').map(String)
    const sorted = [...new Set(found)].sort((a, b) => compare(a, b) ?? 0)
    if (sorted.length === 0) continue
    // The lowest as a lower bound (which excludes it) and the highest as an upper one test strictness; two values test alternatives.
    if (range?.[2] === 'after') alone.push({ [name]: [sorted[0] as string] })
    else if (range?.[2] === 'before') alone.push({ [name]: [sorted[sorted.length - 1] as string] })
    else alone.push({ [name]: sorted.slice(0, 2) })
  }
  return alone.length > 1 ? [...alone, Object.assign({}, ...alone) as Input] : alone
}

/**
 * Follows the search of `list` (fetched by `client`): fails unless it is offered and each search
 * answers the matching items of the unfiltered list. Returns how many searches it checked.
 */
export async function checkSearch(client: HypermediaClient, list: Resource, fail: (why: string) => never): Promise<number> {
  const search = list.actions.search ?? fail(`${list.url} offers no search; actions: ${Object.keys(list.actions).join(', ')}`)
  if (search.method !== 'GET') fail(`the search of ${list.url} is sent with ${search.method}`)
  const urls = (await pages(await client.open(list.url))).slice(0, MAX_ITEMS)
  const items: Item[] = []
  for (const url of urls) items.push({ url, data: (await client.open(url)).data })
  const fields = (search.fields ?? []).map((f) => f.name).filter((n) => n !== 'limit' && n !== 'after')
  const searches = searchesFrom([...new Set(fields)], items)
  for (const input of searches) {
    // A small page, so the filtered keyset pages are walked too.
    const found = await pages(await list.act('search', { ...input, limit: '2' }))
    const expected = items.filter((i) => matches(i, input)).map((i) => i.url)
    // The list was read up to MAX_ITEMS: a match beyond it is checked only as far as the list went.
    const shown = urls.length < MAX_ITEMS ? found : found.filter((u) => urls.includes(u))
    if (JSON.stringify(shown) !== JSON.stringify(expected)) fail(`search ${JSON.stringify(input)} of ${list.url} found ${shown.length} items, the list holds ${expected.length} that match`)
  }
  return searches.length
}
