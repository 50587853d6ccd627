export * from './deployments';
export * from './logs';
export * from './config';
