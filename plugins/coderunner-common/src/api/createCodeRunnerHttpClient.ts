import { ResponseError } from '@backstage/errors';
import createClient, { FetchResponse, MaybeOptionalInit } from 'openapi-fetch';
import { paths } from './generated/openapi';

/**
 * The HTTP methods the CodeRunner REST API uses.
 *
 * @public
 */
export type CodeRunnerHttpMethod = 'get' | 'post' | 'put' | 'delete';

/**
 * The paths of the REST API that answer an HTTP method.
 *
 * @public
 */
export type CodeRunnerPathsWith<M extends CodeRunnerHttpMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: {} } ? P : never;
}[keyof paths];

/**
 * Calls one HTTP method of the REST API: the path and its parameters, query and body are typed
 * by the OpenAPI spec, and the promise resolves to the success body (parsed as the init's
 * `parseAs`, JSON by default).
 *
 * @public
 */
export type CodeRunnerHttpCall<M extends CodeRunnerHttpMethod> = <
  P extends CodeRunnerPathsWith<M>,
  I extends MaybeOptionalInit<paths[P], M>,
>(
  path: P,
  ...init: undefined extends I ? [init?: I] : [init: I]
) => Promise<
  Extract<
    FetchResponse<
      Extract<paths[P][M], Record<string, unknown>>,
      I,
      `${string}/${string}`
    >,
    { data: unknown }
  >['data']
>;

/**
 * A client of the CodeRunner REST API, generated from its OpenAPI spec: one typed call per
 * HTTP method. An answer outside 2xx rejects with a `ResponseError` carrying the backend's
 * error body.
 *
 * @public
 */
export type CodeRunnerHttpClient = {
  [M in CodeRunnerHttpMethod]: CodeRunnerHttpCall<M>;
};

/**
 * Creates the {@link CodeRunnerHttpClient} that the frontend and backend modules share.
 *
 * @param options - `baseUrl` resolves the plugin's base URL before each call (discovery may
 *   move it); `fetch` sends each request as a URL and init, the way Backstage's `fetchApi` and
 *   the global `fetch` take it (the user's token is added by `fetchApi`).
 * @public
 */
export function createCodeRunnerHttpClient(options: {
  baseUrl: () => Promise<string>;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
}): CodeRunnerHttpClient {
  const client = createClient<paths>({
    // openapi-fetch builds a Request; it goes on as a URL and init, because Backstage's fetch
    // middleware copies its input into a new Request and, when it adds no token, passes the
    // original on, whose body that copy has already read ("a Request object that has already
    // been used").
    fetch: async request =>
      options.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body && { body: await request.arrayBuffer() }),
        signal: request.signal,
      }),
    // Every list parameter of the spec is `style: form, explode: false`: `stream=build,system`.
    querySerializer: { array: { style: 'form', explode: false } },
  });
  client.use({
    async onResponse({ response }) {
      if (!response.ok) throw await ResponseError.fromResponse(response);
      return undefined;
    },
  });
  const request = client.request as (
    method: CodeRunnerHttpMethod,
    path: string,
    init: object,
  ) => Promise<{ data?: unknown }>;
  const call =
    (method: CodeRunnerHttpMethod) => async (path: string, init?: object) => {
      const baseUrl = await options.baseUrl();
      return (await request(method, path, { ...init, baseUrl })).data;
    };
  return {
    get: call('get'),
    post: call('post'),
    put: call('put'),
    delete: call('delete'),
  } as CodeRunnerHttpClient;
}
