/**
 * The CodeRunner backend plugin.
 *
 * @packageDocumentation
 */

export { coderunnerPlugin as default } from './plugin';
export { AgentSphereRuntime } from './runtime';
export type { AgentSphereRuntimeOptions } from './runtime';
