export * from './types';
export { validateScalingPolicy } from './validatePolicy';
export { scalingTemplates, scalingPolicyFromTemplate } from './templates';
export type { ScalingTemplate, ScalingTemplateName } from './templates';
export { decideScale } from './decideScale';
export { explainDecision } from './explain';
export { requestRateTrend } from './trend';
export type { RequestRateTrend } from './trend';
