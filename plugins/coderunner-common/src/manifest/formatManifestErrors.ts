import { ManifestError } from './types';

/**
 * Renders errors one per line, compiler style:
 * `coderunner.yaml:12:9 run.port: must be an integer from 1 to 65535, got "abc"`.
 * @public
 */
export function formatManifestErrors(
  errors: readonly ManifestError[],
  fileName = 'coderunner.yaml',
): string {
  return errors
    .map(({ path, line, column, message }) => {
      const field = path ? `${path}: ` : '';
      return `${fileName}:${line}:${column} ${field}${message}`;
    })
    .join('\n');
}
