import type { Principal } from '../index.ts'

/** A person of the demo: who they are, their tenant and their roles. */
export type DemoUser = Principal

/**
 * The demo's directory of people: in each of two tenants a dispatcher, two clinicians, an
 * admin and a reader. Seeding issues their tokens; the visit type offers its clinicians.
 */
export const demoUsers: readonly DemoUser[] = ['north', 'south'].flatMap((tenant) => [
  { id: `${tenant}-dispatcher`, name: `Dispatcher (${tenant})`, tenant, roles: ['dispatcher'] },
  { id: `${tenant}-clinician-1`, name: `Clinician 1 (${tenant})`, tenant, roles: ['clinician'] },
  { id: `${tenant}-clinician-2`, name: `Clinician 2 (${tenant})`, tenant, roles: ['clinician'] },
  { id: `${tenant}-admin`, name: `Admin (${tenant})`, tenant, roles: ['admin'] },
  { id: `${tenant}-reader`, name: `Reader (${tenant})`, tenant, roles: ['reader'] },
])
