import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { allContracts, envelopeSchemas, envelopesFor } from '../../src/contracts/index.ts'
import { bookmark, visit } from '../../src/resources/index.ts'

const ajv = new Ajv2020({ allErrors: true, strict: false })
// Siren's published schema requires absolute URIs: check them for real.
ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) && /^[a-z][a-z0-9+.-]*:/i.test(s) })
ajv.addFormat('date-time', true)

// The published Siren schema is draft-04; its keywords mean the same in 2020-12 once `id` is `$id`.
const asDraft2020 = (doc: Record<string, unknown>): Record<string, unknown> => {
  const { $schema: _draft, id, ...rest } = doc
  return typeof id === 'string' ? { $id: id, ...rest } : rest
}

const envelopes = new Map<string, ValidateFunction>([...envelopeSchemas()].map(([name, doc]) => [name, ajv.compile(asDraft2020(doc as Record<string, unknown>))]))
const contracts = new Map<string, { source: string; check: ValidateFunction }>()

/** Makes an app's contracts known here, so responses of resource types defined in tests are checked too. */
export function registerContracts(docs: ReadonlyMap<string, unknown>): void {
  for (const [name, doc] of docs) {
    if (!name.endsWith('-contract.json')) continue
    const source = JSON.stringify(doc)
    if (contracts.get(name)?.source === source) continue
    // Two apps may define different types of one name: the latest registered wins, under a fresh $id.
    const { $id: _id, ...rest } = doc as Record<string, unknown>
    contracts.set(name, { source, check: ajv.compile(rest) })
  }
}
registerContracts(allContracts([bookmark, visit]))

/** The schema file names a body must satisfy: its format's envelopes, then the contract named. */
export function violations(mediaType: string, body: unknown, contract?: string): string[] {
  const out: string[] = []
  for (const name of envelopesFor(mediaType)) {
    const check = envelopes.get(name) as ValidateFunction
    if (!check(body)) out.push(`${name}: ${ajv.errorsText(check.errors)}`)
  }
  if (contract !== undefined) {
    const check = contracts.get(contract)?.check
    if (check === undefined) out.push(`no contract named ${contract}; an app started outside startServer must registerContracts(app.affordance.schemaDocs)`)
    else if (!check(body)) out.push(`${contract}: ${ajv.errorsText(check.errors)}`)
  }
  return out
}

/** The contract a `describedby` link in a `Link` header names, if any. */
export function describedBy(link: string | null): string | undefined {
  const m = /<(?:\/[^/>]+)*\/schemas\/([^>]+-contract\.json)>;\s*rel="describedby"/.exec(link ?? '')
  return m?.[1]
}

// Machine, schema, problem-type, health and readiness documents are not representations of views (an app may be mounted at /api).
const NOT_A_VIEW = /^(?:\/api)?\/(health|ready|machines\/|schemas\/|problems\/)/

/** Throws when a 2xx JSON representation breaks its format's envelope or its type's contract. */
export function checkRepresentation(where: string, method: string, path: string, reply: { status: number; headers: Headers; json: unknown }): string[] {
  if (method === 'HEAD' || reply.status < 200 || reply.status >= 300 || reply.json === undefined || NOT_A_VIEW.test(path)) return []
  const mediaType = (reply.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? ''
  if (envelopesFor(mediaType).length === 0) return []
  return violations(mediaType, reply.json, describedBy(reply.headers.get('link'))).map((v) => `${where}: ${v}`)
}
