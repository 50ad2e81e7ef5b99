// Role lists repeat across tokens and requests: parsed once each, shared read-only.
const parsedRoles = new Map<string, readonly string[]>()

/** A token's stored role list (JSON text) as a frozen array, parsed once per distinct text. */
export function rolesOf(json: string): readonly string[] {
  let roles = parsedRoles.get(json)
  if (roles === undefined) {
    roles = Object.freeze(JSON.parse(json) as string[])
    if (parsedRoles.size >= 1024) parsedRoles.clear()
    parsedRoles.set(json, roles)
  }
  return roles
}
