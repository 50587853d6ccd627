export type { CodeRunnerApi } from './CodeRunnerApi';
export { coderunnerApiRef } from './CodeRunnerApi';
export { CodeRunnerClient } from './CodeRunnerClient';
