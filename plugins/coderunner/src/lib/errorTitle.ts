import { ResponseError } from '@backstage/errors';

/**
 * A headline for an error panel. For a backend answer it adds the backend's own
 * message ("Request failed with 403 Forbidden: not allowed to read …"), which
 * `ResponseErrorPanel` otherwise hides in its collapsed details.
 */
export function errorTitle(error: Error): string {
  if (error instanceof ResponseError && error.cause.message) {
    return `${error.message.trim()}: ${error.cause.message}`;
  }
  return error.message;
}
