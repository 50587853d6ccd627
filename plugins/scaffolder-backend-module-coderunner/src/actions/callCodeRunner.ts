import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { CustomErrorBase, ResponseError } from '@backstage/errors';
import { entityApiPath } from '@coderunner/plugin-coderunner-common';

/**
 * The CodeRunner backend answered a call with an error status; `status` says which, and the
 * message carries the backend's own explanation.
 *
 * @internal
 */
export class CodeRunnerCallError extends CustomErrorBase {
  name = 'CodeRunnerCallError' as const;

  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/**
 * Calls the CodeRunner backend's REST API on behalf of someone, so the same permission
 * checks apply as in the UI. Non-2xx answers become errors carrying the backend's message.
 *
 * @internal
 */
export class CodeRunnerCaller {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** The API path of an entity, e.g. `/entities/component/default/my-service`. */
  static entityPath(entityRef: string): string {
    return entityApiPath(parseEntityRef(entityRef));
  }

  async call<T>(
    credentials: BackstageCredentials,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'coderunner',
    });
    const baseUrl = await this.discovery.getBaseUrl('coderunner');
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      const message = (
        error.body as { error?: { message?: string } } | undefined
      )?.error?.message;
      throw new CodeRunnerCallError(
        `CodeRunner answered ${response.status}: ${message ?? error.message}`,
        response.status,
      );
    }
    return { status: response.status, body: (await response.json()) as T };
  }
}
