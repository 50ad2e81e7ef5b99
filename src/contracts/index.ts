export { contractName, contractSchema, allContracts, SCHEMA_BASE, type ContractScope } from './generate.ts'
export { contractFormats, halFormsFormat, restfulJsonFormat, sirenFormat, type ContractFormat } from './formats.ts'
export { envelopeFiles, envelopeSchemas, envelopesFor } from './envelopes.ts'
