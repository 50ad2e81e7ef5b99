import { defineMachine, defineResource, loadSchema, type FieldOptions, type Guard } from '../index.ts'
import { demoUsers } from './people.ts'

const schemas = new URL('../../schemas/', import.meta.url)

/** A clinician acts only on visits assigned to them; other roles pass. */
const assignedToCaller: Guard = ({ principal, data }) => {
  if (principal === undefined || !principal.roles.includes('clinician') || principal.roles.includes('admin')) return { ok: true }
  return data.clinician_id === principal.id
    ? { ok: true }
    : { ok: false, reason: 'This visit is not assigned to you.', refusal: 'forbidden' }
}

/**
 * The clinicians a caller may assign: those of the caller's tenant in the directory. A fixed
 * directory keeps this a pure function of the caller, as options must be; a real service
 * would read its own directory, and answer new ETags when it changes.
 */
const cliniciansOf: FieldOptions = (principal) =>
  demoUsers.filter((u) => u.tenant === principal.tenant && u.roles.includes('clinician')).map((u) => ({ value: u.id, label: u.name }))

const dispatch = ['dispatcher', 'admin']
const field = ['clinician', 'admin']

/** A home-health visit: scheduled, assigned, on the road, on site, and how it ended. */
export const visitMachine = defineMachine({
  name: 'visit',
  initial: 'scheduled',
  states: ['scheduled', 'assigned', 'en_route', 'on_site', 'completed', 'cancelled', 'missed'],
  terminal: ['completed', 'cancelled', 'missed'],
  actions: {
    assign: { from: 'scheduled', to: 'assigned', input: 'https://affordance.dev/schemas/visit-assign.json', roles: dispatch, title: 'Assign a clinician' },
    depart: { from: 'assigned', to: 'en_route', roles: field, guard: assignedToCaller, title: 'Depart' },
    'check-in': { from: 'en_route', to: 'on_site', input: 'https://affordance.dev/schemas/visit-check-in.json', roles: field, guard: assignedToCaller, title: 'Check in' },
    'check-out': { from: 'on_site', to: 'completed', input: 'https://affordance.dev/schemas/visit-check-out.json', roles: field, guard: assignedToCaller, title: 'Check out' },
    cancel: { from: ['scheduled', 'assigned', 'en_route'], to: 'cancelled', input: 'https://affordance.dev/schemas/visit-cancel.json', roles: dispatch, title: 'Cancel' },
    'mark-missed': { from: ['assigned', 'en_route'], to: 'missed', roles: dispatch, title: 'Mark as missed' },
  },
})

export const visit = defineResource({
  name: 'visit',
  collection: 'visits',
  schema: loadSchema(new URL('visit.json', schemas)),
  createSchema: loadSchema(new URL('visit-create.json', schemas)),
  inputs: ['visit-assign.json', 'visit-check-in.json', 'visit-check-out.json', 'visit-cancel.json'].map((f) => loadSchema(new URL(f, schemas))),
  machine: visitMachine,
  stateField: 'status',
  policy: { view: ['dispatcher', 'clinician', 'admin'], create: dispatch },
  requirePreconditions: true,
  // Only a clinician of the caller's tenant can be assigned: anyone else could never depart.
  options: { assign: { clinician_id: cliniciansOf } },
  query: { clinician_id: 'equals', patient: 'equals', scheduled_for: 'range' },
  label: (data) => `Visit to ${String(data.patient ?? 'a patient')}`,
  examples: [
    { patient: 'Ada Lovelace', address: '12 St James Square, London', scheduled_for: '2026-12-01T09:00:00Z' },
    { patient: 'Alan Turing', address: '78 High Street, Hampton', scheduled_for: '2026-12-01T11:30:00Z' },
    { patient: 'Grace Hopper', address: '5 Harbour Road, Arlington', scheduled_for: '2026-12-02T14:00:00Z' },
  ],
  exampleInputs: {
    assign: { clinician_id: 'north-clinician-1' },
    'check-in': { lat: 51.5074, lon: -0.1278 },
    'check-out': { notes: 'Vitals normal; next visit in a week.' },
    cancel: { reason: 'Patient rescheduled.' },
  },
})
