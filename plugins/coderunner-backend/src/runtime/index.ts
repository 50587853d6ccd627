export { AgentSphereRuntime } from './AgentSphereRuntime';
export type { AgentSphereRuntimeOptions } from './AgentSphereRuntime';
export { AgentSphereError } from './AgentSphereError';
export type { AgentSphereErrorKind } from './AgentSphereError';
export type { RetryPolicy } from './resilientCall';
// Moved to the node library, so that modules need not depend on this plugin; kept for importers.
export { assertEmulatorAllowed } from '@coderunner/plugin-coderunner-node';
