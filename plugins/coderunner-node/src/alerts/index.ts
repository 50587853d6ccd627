export * from './types';
export * from './extensionPoint';
