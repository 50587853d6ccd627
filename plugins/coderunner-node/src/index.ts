/**
 * Extension points and the SandboxRuntime interface for CodeRunner backend modules.
 *
 * @packageDocumentation
 */

export * from './runtime';
