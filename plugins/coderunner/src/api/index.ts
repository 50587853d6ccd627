export type {
  CodeRunnerApi,
  DeploymentAction,
  DeploymentLogQuery,
} from './CodeRunnerApi';
export { coderunnerApiRef } from './CodeRunnerApi';
export { CodeRunnerClient } from './CodeRunnerClient';
export { ConfigClient } from './ConfigClient';
