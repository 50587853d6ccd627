/**
 * The CodeRunner backend plugin.
 *
 * @packageDocumentation
 */

export { coderunnerPlugin as default } from './plugin';
