export { EntitySetupGate } from './EntitySetupGate';
