export * from './fakeCodeRunnerApi';
export * from './deploymentFixtures';
export { renderWithEntity } from './renderWithEntity';
export { renderDeployments, backendError } from './renderDeployments';
export * from './fakeScalingApi';
export { englishTranslate, keyTranslationApi } from './translations';
export { provideXtermBrowserApis } from './xtermInJsdom';
export { fakeSignals } from './fakeSignals';
