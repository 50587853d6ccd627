/**
 * Scaffolder actions for CodeRunner.
 *
 * @packageDocumentation
 */

export { scaffolderModuleCodeRunner as default } from './module';
