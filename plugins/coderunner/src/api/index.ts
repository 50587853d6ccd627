export type {
  CodeRunnerApi,
  DeploymentAction,
  DeploymentLogQuery,
  DeploymentMetricName,
  DeploymentMetricsQuery,
  MetricSeries,
  MetricSeriesPoint,
} from './CodeRunnerApi';
export { coderunnerApiRef } from './CodeRunnerApi';
export { CodeRunnerClient } from './CodeRunnerClient';
export { ConfigClient } from './ConfigClient';
export type { CostApi } from './CostApi';
export { costApiRef } from './CostApi';
export { CostClient } from './CostClient';
export type { AlertsApi } from './AlertsApi';
export { alertsApiRef } from './AlertsApi';
export { AlertsClient } from './AlertsClient';
export type {
  ScalingApi,
  ScalingDecisionQuery,
  ScalingWatchHandlers,
} from './ScalingApi';
export { scalingApiRef } from './ScalingApi';
export { ScalingClient } from './ScalingClient';
