/**
 * Runs CodeRunner on the local AgentSphere emulator when no AgentSphere API key is configured.
 *
 * @packageDocumentation
 */

export { coderunnerModuleAgentsphereEmulator as default } from './module';
export { emulatorFromConfig } from './emulatorFromConfig';
export type { EmulatorConnection } from './emulatorFromConfig';
