/**
 * A local AgentSphere emulator for development and tests: the control plane,
 * envd and port routing on one plain-HTTP port, backed by local processes.
 * It is no security boundary.
 *
 * @packageDocumentation
 */

export { startEmulator, UNISOLATED_WARNING } from './startEmulator';
export type { Emulator, EmulatorOptions } from './startEmulator';
export { routeDomainToEmulator } from './routeDomainToEmulator';
export type { EmulatorRoute } from './routeDomainToEmulator';
export { Faults } from './faults';
export type { Fault, FaultMatch, FaultTarget } from './faults';
export type { IsolationMode } from './sandboxes/isolation';
export { runEmulatorCli } from './cli';
