import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ResourceType } from '../resource.ts'
import { bookmark, visit } from '../resources/index.ts'
import { userFolder } from './command.ts'

export const demoTypes: readonly ResourceType[] = [bookmark, visit]

// A structural test: the module may have its own copy of the package, so instanceof cannot tell.
const isResourceType = (v: unknown): v is ResourceType => {
  const t = v as Partial<ResourceType> | null
  return typeof t === 'object' && t !== null && typeof t.name === 'string' && typeof t.collection === 'string' && typeof t.machine === 'object' && typeof t.createSchema === 'object'
}

/**
 * The resource types a module exports: its default export when that is a type or a list of
 * types, otherwise every named export that is one. Failures are one line for the user.
 */
export async function loadTypes(specifier: string, env: NodeJS.ProcessEnv): Promise<{ ok: true; types: readonly ResourceType[] } | { ok: false; error: string }> {
  const url = pathToFileURL(resolve(userFolder(env), specifier)).href
  let exports: Record<string, unknown>
  try {
    exports = (await import(url)) as Record<string, unknown>
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    if (e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes(url.replace('file://', ''))) return { ok: false, error: `${specifier}: no such module` }
    if (e.code === 'ERR_UNKNOWN_FILE_EXTENSION') return { ok: false, error: `${specifier}: Node cannot load this file type; compile it to JavaScript first` }
    return { ok: false, error: `${specifier}: ${e.message.split('\n')[0] ?? ''}` }
  }
  const fallback = exports.default
  const types = Array.isArray(fallback) && fallback.every(isResourceType) ? fallback : isResourceType(fallback) ? [fallback] : Object.values(exports).filter(isResourceType)
  return types.length === 0 ? { ok: false, error: `${specifier} exports no resource type (made with defineResource)` } : { ok: true, types }
}

/** `--demo` anywhere, or a module as the first argument: the types a command works on, and the arguments left. */
export async function typesOf(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<{ ok: true; types: readonly ResourceType[]; rest: string[] } | { ok: false; error: string }> {
  if (argv.includes('--demo')) return { ok: true, types: demoTypes, rest: argv.filter((a) => a !== '--demo') }
  const [module, ...rest] = argv
  if (module === undefined || module.startsWith('-')) return { ok: false, error: 'name a module that exports resource types, or --demo' }
  const loaded = await loadTypes(module, env)
  return loaded.ok ? { ...loaded, rest } : loaded
}
