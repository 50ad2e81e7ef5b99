import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { readFileSync } from 'node:fs'
import { checkRepresentation } from './representor-contracts.ts'

const ajv = new Ajv2020({ allErrors: true, strict: false })
ajv.addFormat('uri-reference', true)
ajv.addFormat('uri', true)
const load = (path: string): ValidateFunction => ajv.compile(JSON.parse(readFileSync(new URL(`../../schemas/${path}`, import.meta.url), 'utf8')) as object)
const problemSchema = load('problem.json')

export class ContractError extends Error {}

/**
 * Every response every test receives passes through here: error responses must be
 * valid problem documents whose status equals the HTTP status, and never a stack trace;
 * successful JSON representations must satisfy their envelope and contract schemas.
 */
export function checkResponse(method: string, path: string, reply: { status: number; headers: Headers; text: string; json: unknown }): void {
  const where = `${method} ${path.slice(0, 120)} → ${reply.status}`
  const type = reply.headers.get('content-type') ?? ''
  // RFC 9110 §9.3.2, §15.3.5, §15.4.5: these responses end at the header section.
  if ((method === 'HEAD' || reply.status === 204 || reply.status === 304) && reply.text !== '') throw new ContractError(`${where}: this response must have no body`)
  if (reply.status === 304 && reply.headers.get('etag') === null) throw new ContractError(`${where}: a 304 must repeat the ETag of the 200`)
  if (reply.status >= 400) {
    if (type.startsWith('text/html')) {
      if (!reply.text.includes(String(reply.status))) throw new ContractError(`${where}: the HTML problem page does not show its status`)
      return
    }
    if (!type.startsWith('application/problem+json')) throw new ContractError(`${where}: error is ${type || 'untyped'}, not application/problem+json`)
    if (method === 'HEAD') return
    if (!problemSchema(reply.json)) throw new ContractError(`${where}: invalid problem document ${JSON.stringify(problemSchema.errors)}`)
    if ((reply.json as { status: number }).status !== reply.status) throw new ContractError(`${where}: problem status differs from HTTP status`)
  }
  if (/at .*\.(ts|js):\d+/.test(reply.text)) throw new ContractError(`${where}: the body shows a stack trace`)
  // Every representation of every test also meets its format's envelope and its type's contract.
  const broken = checkRepresentation(where, method, path, reply)
  if (broken.length > 0) throw new ContractError(broken.join('\n'))
}
