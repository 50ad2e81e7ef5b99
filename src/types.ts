/** Public types, in one place. */
export type { Machine, MachineSpec, ActionSpec, Action, ActionContext, Guard, GuardResult, Principal, TriggerResult, TriggerError, Edge } from './fsm/types.ts'
export type { MachineJson } from './fsm/graph.ts'
export type { ResourceSpec, ResourceType, ResourcePolicy, JsonSchema, FieldOptions } from './resource.ts'
export type { AppOptions, AffordanceApp } from './http/app.ts'
export type { Hooks, DecisionContext, RouteKind } from './hooks.ts'
export type { Store, ResourceRow, HistoryRow, HistoryPage } from './store/types.ts'
export type { SqliteOptions } from './store/sqlite-store.ts'
export type { Representor, View, ResourceView, CollectionView, Affordance, NavLink, Choice } from '../representors/types.ts'
