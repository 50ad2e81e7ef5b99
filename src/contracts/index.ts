export { contractName, contractSchema, allContracts } from './generate.ts'
export { contractFormats, halFormsFormat, restfulJsonFormat, sirenFormat } from './formats.ts'
export { envelopeSchemas, envelopesFor } from './envelopes.ts'
