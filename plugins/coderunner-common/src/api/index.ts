export * from './deployments';
export * from './logs';
