export { AgentSphereRuntime } from './AgentSphereRuntime';
export type { AgentSphereRuntimeOptions } from './AgentSphereRuntime';
export { AgentSphereError } from './AgentSphereError';
export type { AgentSphereErrorKind } from './AgentSphereError';
export type { RetryPolicy } from './resilientCall';
export { assertEmulatorAllowed } from './productionSafety';
