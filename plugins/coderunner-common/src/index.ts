/**
 * Types, permissions, the coderunner.yaml manifest engine and the scaling engine shared
 * by the CodeRunner frontend and backend.
 *
 * @packageDocumentation
 */

export * from './api';
export * from './constants';
export * from './manifest';
export * from './permissions';
export * from './scaling';
// The API's decision record; the engine's own record type is ScalingInput['recentDecisions'][number].
export type { ScalingDecisionRecord } from './api';
export * from './types';
