export * from './deployments';
export * from './logs';
export * from './config';
export * from './cost';
export * from './alerts';
export * from './scaling';
export * from './terminal';
export * from './paths';
