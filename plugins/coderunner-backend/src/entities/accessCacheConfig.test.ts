import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { startHelloNodeBackend } from '../__testUtils__/coderunnerBackend';

// Starts a backend: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const deployments =
  '/api/coderunner/entities/component/default/hello-node/deployments';

/** A permission service counting its decisions, allowing while `allow.now` is true. */
function countingPermissions() {
  const state = { decisions: 0, allow: true };
  const permissions = mockServices.permissions.mock({
    authorize: async requests => {
      state.decisions += requests.length;
      return requests.map(() => ({
        result: state.allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      })) as any;
    },
  });
  return { state, factory: permissions.factory };
}

describe('coderunner.accessCache.readSeconds', () => {
  it("reuses a user's read decision by default, and never a change's", async () => {
    const { state, factory } = countingPermissions();
    const { server } = await startHelloNodeBackend({ environments: ['dev'] }, [
      factory,
    ]);
    for (let i = 0; i < 3; i++) {
      expect((await request(server).get(deployments)).status).toBe(200);
    }
    expect(state.decisions).toBe(1);
    // A change is decided afresh, and refused once the grant is gone.
    state.allow = false;
    const deploy = await request(server)
      .post(`${deployments}/dev/deploy`)
      .send({});
    expect(deploy.status).toBe(403);
    expect(state.decisions).toBe(2);
  });

  it('with 0 asks the permission backend on every read', async () => {
    const { state, factory } = countingPermissions();
    const { server } = await startHelloNodeBackend(
      { environments: ['dev'], accessCache: { readSeconds: 0 } },
      [factory],
    );
    expect((await request(server).get(deployments)).status).toBe(200);
    state.allow = false;
    expect((await request(server).get(deployments)).status).toBe(403);
    expect(state.decisions).toBe(2);
  });

  it('refuses to start with a value out of range, naming the key', async () => {
    await expect(
      startHelloNodeBackend({ accessCache: { readSeconds: -1 } }),
    ).rejects.toThrow(
      'coderunner.accessCache.readSeconds must be a number of seconds from 0 to 60, got -1',
    );
  });
});
