import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createConfigSetAction } from './configSet';

describe('coderunner:config:set', () => {
  const discovery = mockServices.discovery.mock({
    getBaseUrl: async () => 'http://backend/api/coderunner',
  });
  const user = mockCredentials.user('user:default/alice');
  const auth = mockServices.auth.mock({
    getOwnServiceCredentials: async () =>
      mockCredentials.service('plugin:scaffolder'),
    getPluginRequestToken: async ({ onBehalfOf }) => ({
      token:
        (onBehalfOf.principal as { type: string }).type === 'user'
          ? `token-of-${
              (onBehalfOf.principal as { userEntityRef: string }).userEntityRef
            }`
          : 'service-token',
    }),
  });
  const fetchMock = jest.spyOn(global, 'fetch');
  afterEach(() => fetchMock.mockReset());

  it('saves variables and secrets as one version on behalf of the person running the template, logging names only', async () => {
    fetchMock.mockResolvedValue(
      new Response(
        JSON.stringify({
          version: { version: 4 },
          applied: [{ environment: 'development', releaseNumber: 2 }],
          pending: [],
        }),
        { status: 202 },
      ),
    );
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/shop',
        environment: 'development',
        variables: { LOG_LEVEL: 'debug' },
        secrets: { API_TOKEN: 'very-secret' },
        apply: true,
      },
    });
    ctx.getInitiatorCredentials = async () => user;
    await createConfigSetAction({ discovery, auth }).handler(ctx as any);

    const request = new Request(
      ...(fetchMock.mock.calls[0] as [string, RequestInit]),
    );
    expect(request.method).toBe('POST');
    expect(request.url).toBe(
      'http://backend/api/coderunner/entities/component/default/shop/config/changes',
    );
    expect(request.headers.get('authorization')).toBe(
      'Bearer token-of-user:default/alice',
    );
    expect(await request.json()).toEqual({
      changes: [
        {
          scope: 'development',
          name: 'LOG_LEVEL',
          value: 'debug',
          secret: false,
        },
        {
          scope: 'development',
          name: 'API_TOKEN',
          value: 'very-secret',
          secret: true,
        },
      ],
      message: 'Set by a scaffolder template',
      apply: true,
    });
    expect(ctx.output).toHaveBeenCalledWith('version', 4);
    expect(ctx.output).toHaveBeenCalledWith('applied', ['development']);
    expect(
      JSON.stringify((ctx.logger.info as jest.Mock).mock?.calls ?? []),
    ).not.toContain('very-secret');
  });

  it('passes on the backend message when it refuses', async () => {
    fetchMock.mockResolvedValue(
      new Response(
        JSON.stringify({
          error: { name: 'InputError', message: 'PORT is reserved' },
        }),
        {
          status: 400,
          headers: { 'content-type': 'application/json' },
        },
      ),
    );
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/shop',
        environment: 'development',
        variables: { PORT: '1' },
      },
    });
    ctx.getInitiatorCredentials = async () => user;
    await expect(
      createConfigSetAction({ discovery, auth }).handler(ctx as any),
    ).rejects.toThrow(/PORT is reserved/);
  });

  it('refuses bad input with an InputError, and keeps the status of other refusals', async () => {
    const action = createConfigSetAction({ discovery, auth });
    const context = (input: Record<string, unknown>) => {
      const ctx = createMockActionContext({
        input: {
          entityRef: 'component:default/shop',
          environment: 'development',
          ...input,
        },
      });
      ctx.getInitiatorCredentials = async () => user;
      return ctx as any;
    };
    const refusal = (status: number, name: string, message: string) =>
      new Response(JSON.stringify({ error: { name, message } }), {
        status,
        headers: { 'content-type': 'application/json' },
      });

    const empty = await action.handler(context({})).catch(e => e);
    expect(empty.name).toBe('InputError');
    expect(empty.message).toBe(
      'Give at least one entry in variables or secrets',
    );
    expect(fetchMock).not.toHaveBeenCalled();

    fetchMock.mockResolvedValueOnce(
      refusal(400, 'InputError', 'PORT is reserved'),
    );
    const bad = await action
      .handler(context({ variables: { PORT: '1' } }))
      .catch(e => e);
    expect(bad.name).toBe('InputError');
    expect(bad.message).toMatch(
      /^CodeRunner refused the configuration of component:default\/shop: CodeRunner answered 400: .*PORT is reserved/,
    );

    fetchMock.mockResolvedValueOnce(
      refusal(403, 'NotAllowedError', 'You may not change config'),
    );
    await expect(
      action.handler(context({ variables: { LOG_LEVEL: 'debug' } })),
    ).rejects.toMatchObject({ name: 'CodeRunnerCallError', status: 403 });
  });
});
