export { useEntitySetup } from './useEntitySetup';
export type { EntitySetupState } from './useEntitySetup';
