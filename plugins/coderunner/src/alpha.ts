/**
 * The CodeRunner plugin for apps on the new frontend system.
 *
 * @packageDocumentation
 */

export { default } from './alpha/plugin';
export { coderunnerTranslationRef } from './translation';
