import { ResponseError } from '@backstage/errors';
import { CoderunnerTranslate } from '../translation';

/**
 * A headline for an error panel. For a backend answer it adds the backend's own
 * message ("Request failed with 403 Forbidden: not allowed to read …"), which
 * `ResponseErrorPanel` otherwise hides in its collapsed details.
 */
export function errorTitle(error: Error, t: CoderunnerTranslate): string {
  if (error instanceof ResponseError && error.cause.message) {
    return t('errorTitle.withCause', {
      message: error.message.trim(),
      cause: error.cause.message,
    });
  }
  return error.message;
}
