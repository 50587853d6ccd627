import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import coderunnerPlugin from '@coderunner/plugin-coderunner-backend';
import { parseManifest } from '@coderunner/plugin-coderunner-common';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createScaleAction } from './scale';

jest.setTimeout(60_000);

const helloNode = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'hello-node', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/platform',
    lifecycle: 'experimental',
  },
};

/**
 * The real CodeRunner backend plugin (its scaling routes, permission checks and store) on
 * SQLite, holding a hello-node deployment in development; the action calls it over HTTP.
 */
describe('coderunner:scale against the CodeRunner backend', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let baseUrl: string;
  let knex: Awaited<ReturnType<TestDatabases['init']>>;
  const deploymentId = randomUUID();
  let allowed = true;
  const alice = mockCredentials.user('user:default/alice');

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    const backend = await startTestBackend({
      features: [
        coderunnerPlugin,
        catalogServiceMock.factory({ entities: [helloNode] }),
        mockServices.database.factory({ knex }),
        mockServices.permissions.mock({
          // Owners may scale: alice, and nobody else (bob, or a plugin's own identity).
          authorize: async (requests, options) =>
            requests.map(() => ({
              result:
                allowed &&
                (options?.credentials.principal as { userEntityRef?: string })
                  .userEntityRef === alice.principal.userEntityRef
                  ? 'ALLOW'
                  : 'DENY',
            })) as any,
        }).factory,
        mockServices.rootConfig.factory({
          data: { coderunner: { gateway: { enabled: false } } },
        }),
      ],
    });
    baseUrl = `http://localhost:${backend.server.port()}/api/coderunner`;
    const { manifest } = parseManifest(
      fs.readFileSync(
        path.resolve(
          __dirname,
          '../../../../examples/hello-node/coderunner.yaml',
        ),
        'utf8',
      ),
    );
    // A built release of hello-node, stopped so that the backend starts no sandbox for it (the
    // hold still applies), written as the backend's store writes them.
    const releaseId = randomUUID();
    const now = new Date();
    await knex('coderunner_deployments').insert({
      id: deploymentId,
      entity_ref: 'component:default/hello-node',
      environment: 'development',
      desired_instances: 1,
      desired_state: 'stopped',
      status: 'stopped',
      next_release_number: 2,
      created_by: 'user:default/test',
      created_at: now,
      updated_at: now,
    });
    await knex('coderunner_releases').insert({
      id: releaseId,
      deployment_id: deploymentId,
      number: 1,
      manifest: JSON.stringify(manifest),
      status: 'built',
      created_by: 'user:default/test',
      created_at: now,
      built_at: now,
    });
    await knex('coderunner_deployments')
      .where({ id: deploymentId })
      .update({ active_release_id: releaseId });
  });

  const desiredInstances = async () =>
    (await knex('coderunner_deployments').where({ id: deploymentId }).first())
      .desired_instances;

  function run(
    input: Record<string, unknown>,
    isDryRun = false,
    options: {
      initiator?: BackstageCredentials;
      /** The real (mock) auth service, which issues a token on behalf of the initiator. */
      delegating?: boolean;
    } = {},
  ) {
    const action = createScaleAction({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => baseUrl,
      }),
      auth: options.delegating
        ? mockServices.auth({ pluginId: 'scaffolder' })
        : mockServices.auth.mock({
            getPluginRequestToken: async () => ({
              token: mockCredentials.user.token('user:default/alice'),
            }),
          }),
    });
    const ctx = {
      ...createMockActionContext({
        input: {
          entityRef: 'component:default/hello-node',
          environment: 'development',
          ...input,
        } as any,
      }),
      isDryRun,
      getInitiatorCredentials: async () => options.initiator ?? alice,
    };
    return { ctx, done: action.handler(ctx as any) };
  }

  it('holds the count with a reason and an expiry, as the person running the template', async () => {
    allowed = true;
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const { ctx, done } = run({
      instances: 3,
      reason: 'Incident 42: launch traffic',
      expiresAt,
    });
    await done;
    expect(ctx.output).toHaveBeenCalledWith('desiredInstances', 3);
    expect(ctx.output).toHaveBeenCalledWith('expiresAt', expiresAt);
    expect(await desiredInstances()).toBe(3);
  });

  it('does nothing in a dry run', async () => {
    allowed = true;
    const before = await desiredInstances();
    const { ctx, done } = run({ instances: 2, reason: 'Rehearsal' }, true);
    await done;
    expect(ctx.output).toHaveBeenCalledWith('desiredInstances', 2);
    expect(await desiredInstances()).toBe(before);
  });

  it.each([
    [{ instances: -1, reason: 'x' }, /^instances must be a whole number/],
    [{ instances: 1.5, reason: 'x' }, /^instances must be a whole number/],
    [{ instances: '2', reason: 'x' }, /^instances must be a whole number/],
    [{ instances: 1, reason: '  ' }, /^reason must say why/],
    [{ instances: 1 }, /^reason must say why/],
    [
      { instances: 1, reason: 'x', expiresAt: 'tomorrow' },
      /^expiresAt must be an ISO 8601 time/,
    ],
  ])(
    'refuses %j with an InputError naming the field, before calling',
    async (input, message) => {
      allowed = true;
      const error = await run(input).done.catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(message);
    },
  );

  it("passes on the backend's 400 as an InputError naming the field, and keeps a 403", async () => {
    allowed = true;
    const past = await run({
      instances: 1,
      reason: 'x',
      expiresAt: '2001-01-01T00:00:00Z',
    }).done.catch(e => e);
    expect(past.name).toBe('InputError');
    expect(past.message).toMatch(
      /^CodeRunner refused to hold component:default\/hello-node in development at 1 instance\(s\): CodeRunner answered 400: .*expiresAt must be in the future/,
    );
    const tooMany = await run({ instances: 50, reason: 'x' }).done.catch(
      e => e,
    );
    expect(tooMany.name).toBe('InputError');
    expect(tooMany.message).toMatch(/instances must be at most maxInstances/);

    allowed = false;
    const denied = await run({ instances: 1, reason: 'x' }).done.catch(e => e);
    expect(denied).toMatchObject({ name: 'CodeRunnerCallError', status: 403 });
    expect(await desiredInstances()).toBe(3);
  });

  it('acts as the person running the template: someone who may not scale the entity gets 403 and changes nothing', async () => {
    allowed = true;
    const before = await desiredInstances();
    const bob = mockCredentials.user('user:default/bob');
    const denied = await run({ instances: 2, reason: 'not mine' }, false, {
      initiator: bob,
      delegating: true,
    }).done.catch(e => e);
    expect(denied).toMatchObject({ name: 'CodeRunnerCallError', status: 403 });
    expect(await desiredInstances()).toBe(before);
    // The same delegation for the owner goes through: the action used the initiator's
    // identity, not the scaffolder's own.
    await run({ instances: 2, reason: 'mine' }, false, {
      initiator: alice,
      delegating: true,
    }).done;
    expect(await desiredInstances()).toBe(2);
  });
});
