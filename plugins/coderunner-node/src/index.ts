/**
 * Extension points, the SandboxRuntime interface and the metrics reader for CodeRunner backend
 * modules.
 *
 * @packageDocumentation
 */

export * from './runtime';
export * from './metrics';
export * from './cost';
export * from './alerts';
