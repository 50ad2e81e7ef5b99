export { contractName, contractSchema, allContracts, SCHEMA_BASE, type ContractScope } from './generate.ts'
export { contractFormats, halFormsFormat, restfulJsonFormat, sirenFormat, type ContractFormat } from './formats.ts'
export { createSchemaFile, dataSchemaFile, inputSchemaFile, schemaFiles, schemaHref } from './schema-files.ts'
export { envelopeFiles, envelopeSchemas, envelopesFor } from './envelopes.ts'
