/**
 * The CodeRunner backend plugin.
 *
 * @packageDocumentation
 */

export { coderunnerPlugin as default } from './plugin';
export { AgentSphereRuntime, assertEmulatorAllowed } from './runtime';
export type { AgentSphereRuntimeOptions } from './runtime';
