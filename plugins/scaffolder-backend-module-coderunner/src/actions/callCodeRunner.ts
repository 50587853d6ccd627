import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { CustomErrorBase, ResponseError } from '@backstage/errors';
import {
  CodeRunnerHttpClient,
  createCodeRunnerHttpClient,
} from '@coderunner/plugin-coderunner-common';

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

  /**
   * Runs `request` with the generated REST client, authenticated on behalf of `credentials`;
   * an error answer rejects with a {@link CodeRunnerCallError}.
   */
  async call<T>(
    credentials: BackstageCredentials,
    request: (http: CodeRunnerHttpClient) => Promise<T>,
  ): Promise<T> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'coderunner',
    });
    const http = createCodeRunnerHttpClient({
      baseUrl: () => this.discovery.getBaseUrl('coderunner'),
      fetch: (url, init) => {
        const headers = new Headers(init.headers);
        headers.set('authorization', `Bearer ${token}`);
        return fetch(url, { ...init, headers });
      },
    });
    try {
      return await request(http);
    } catch (error) {
      if (!(error instanceof ResponseError)) throw error;
      const { status } = error.response;
      throw new CodeRunnerCallError(
        `CodeRunner answered ${status}: ${error.body.error.message}`,
        status,
      );
    }
  }
}
