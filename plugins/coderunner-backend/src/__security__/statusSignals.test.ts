import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import {
  deploymentListSignalChannel,
  deploymentSignalChannel,
} from '@coderunner/plugin-coderunner-common';
import path from 'node:path';
import request from 'supertest';
import { emulatorRuntimeModule } from '../__testUtils__/emulatorRuntimeModule';
import {
  localComponent,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { coderunnerPlugin } from '../plugin';

jest.setTimeout(120_000);

/**
 * Deployment status signals reach every subscriber of the entity's channel (signals can only
 * be addressed by ownership, not by who may read the entity), so they must say nothing but
 * "changed": no status, environment or deployment id. Readers re-read through the API and the
 * stream, which check their read permission.
 */
describe('deployment status signals', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterAll(async () => {
    await env.stop();
  });

  it('tell subscribers only that an entity, or some deployment, changed, never its status', async () => {
    const published: SignalPayload[] = [];
    let announce = () => {};
    const signals = createServiceFactory({
      service: signalsServiceRef,
      deps: {},
      factory: () => ({
        publish: async (payload: SignalPayload) => {
          published.push(payload);
          announce();
        },
      }),
    });
    const entity = localComponent(
      'static-site',
      path.resolve(__dirname, '../../../../examples/static-site'),
    );
    const { server } = await startTestBackend({
      features: [
        coderunnerPlugin,
        emulatorRuntimeModule(env.emulator),
        signals,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            coderunner: { environments: ['development'], gateway: { port: 0 } },
          },
        }),
      ],
    });

    const deployed = await request(server)
      .post(
        '/api/coderunner/entities/component/default/static-site/deployments/development/deploy',
      )
      .send({});
    expect(deployed.status).toBe(202);
    // Every change of the rollout is announced, up to the deployment being ready.
    await new Promise<void>(resolve => {
      announce = () => {
        if (published.length >= 4) resolve();
      };
      announce();
    });

    // On the entity's channel and the global list's, and nothing else on either.
    const channels = [
      deploymentSignalChannel('component:default/static-site'),
      deploymentListSignalChannel,
    ];
    for (const payload of published) {
      expect(payload).toEqual({
        recipients: { type: 'broadcast' },
        channel: expect.stringMatching(/^coderunner:deployments/),
        message: { type: 'deployments-changed' },
      });
      expect(channels).toContain(payload.channel);
    }
    expect(new Set(published.map(p => p.channel))).toEqual(new Set(channels));
  });
});
