import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SessionState } from '@backstage/frontend-plugin-api';
import { ProxiedProviderAuth } from './ProxiedProviderAuth';

const identity = {
  type: 'user',
  userEntityRef: 'user:default/viewer',
  ownershipEntityRefs: ['user:default/viewer', 'group:default/readers'],
};

/** A stand-in for the auth backend's proxy provider routes: counts refreshes, answers 404 for unknown providers. */
async function startAuthBackend() {
  const refreshes: string[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url !== '/api/auth/viewer/refresh') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'No auth provider' },
        }),
      );
      return;
    }
    refreshes.push(String(req.headers['x-requested-with']));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        profile: { displayName: 'Viewer' },
        backstageIdentity: {
          token: `token-${refreshes.length}`,
          expiresInSeconds: 3600,
          identity,
        },
      }),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    refreshes,
    discoveryApi: {
      getBaseUrl: async (pluginId: string) =>
        `http://127.0.0.1:${port}/api/${pluginId}`,
    },
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

describe('ProxiedProviderAuth', () => {
  let backend: Awaited<ReturnType<typeof startAuthBackend>>;
  beforeEach(async () => {
    backend = await startAuthBackend();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await backend.close();
  });

  it("signs in with the provider's refresh and reuses the session until it is due", async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const auth = ProxiedProviderAuth.create({
      provider: 'viewer',
      discoveryApi: backend.discoveryApi,
    });

    const first = await auth.getBackstageIdentity({ instantPopup: true });
    expect(first).toEqual({
      token: 'token-1',
      identity,
      expiresAt: new Date(1_000_000 + 3_600_000),
    });
    expect(await auth.getProfile()).toEqual({ displayName: 'Viewer' });
    expect(backend.refreshes).toEqual(['XMLHttpRequest']);

    // In the token's last fifth a new one is fetched, so no request carries an expired token.
    now.mockReturnValue(1_000_000 + 0.8 * 3_600_000);
    expect((await auth.getBackstageIdentity())?.token).toBe('token-2');
    expect(backend.refreshes).toHaveLength(2);
  });

  it('reports its session state and signs in again after signing out', async () => {
    const auth = ProxiedProviderAuth.create({
      provider: 'viewer',
      discoveryApi: backend.discoveryApi,
    });
    const states: SessionState[] = [];
    auth.sessionState$().subscribe(state => states.push(state));

    await auth.signIn();
    await auth.signOut();
    expect(states).toEqual(['SignedOut', 'SignedIn', 'SignedOut']);

    expect((await auth.getBackstageIdentity())?.token).toBe('token-2');
  });

  it('answers "no session" to an optional request when the provider refuses, and throws otherwise', async () => {
    const auth = ProxiedProviderAuth.create({
      provider: 'missing',
      discoveryApi: backend.discoveryApi,
    });

    await expect(
      auth.getBackstageIdentity({ optional: true }),
    ).resolves.toBeUndefined();
    await expect(auth.getBackstageIdentity()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
    });
  });
});
