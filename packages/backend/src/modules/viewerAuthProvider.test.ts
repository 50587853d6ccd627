import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AddressInfo } from 'node:net';
import authPlugin from '@backstage/plugin-auth-backend';
import viewerAuthProvider from './viewerAuthProvider';

// Starts a backend: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const config = {
  app: { baseUrl: 'http://localhost:3000' },
  auth: {
    providers: {
      viewer: {
        userEntityRef: 'user:default/viewer',
        ownershipEntityRefs: ['user:default/viewer', 'group:default/readers'],
      },
    },
  },
};

/** Starts the auth plugin with the viewer module and asks it for a viewer session. */
async function refreshViewer() {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      viewerAuthProvider,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  const { port } = server.address() as AddressInfo;
  return fetch(`http://localhost:${port}/api/auth/viewer/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
}

describe('viewer sign-in', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('signs in the read-only viewer in development', async () => {
    process.env.NODE_ENV = 'development';
    const response = await refreshViewer();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/viewer',
      ownershipEntityRefs: ['user:default/viewer', 'group:default/readers'],
    });
  });

  it('does not exist outside development', async () => {
    process.env.NODE_ENV = 'production';
    const response = await refreshViewer();
    expect(response.status).toBe(404);
  });
});
