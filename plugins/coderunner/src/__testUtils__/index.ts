export * from './fakeCodeRunnerApi';
export { renderWithEntity } from './renderWithEntity';
