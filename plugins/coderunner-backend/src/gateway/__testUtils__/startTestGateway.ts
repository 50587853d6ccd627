import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseDeploymentStore } from '../../deployments/DatabaseDeploymentStore';
import { Gateway, GatewayOptions } from '../Gateway';

/**
 * A started gateway on loopback over a real database, and a way to deploy a component whose
 * ready instances are the given URLs (as the reconciler records them).
 */
export async function startTestGateway(
  knex: Knex,
  options: Partial<GatewayOptions> = {},
) {
  const store = await DatabaseDeploymentStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const gateway = new Gateway(
    store,
    {
      port: 0,
      baseDomain: 'localhost',
      publicScheme: 'http',
      listenHost: '127.0.0.1',
      ...options,
    },
    mockServices.logger.mock(),
  );
  await gateway.start();

  /** Deploys `name` in development with `manifest` as its active release; returns its host. */
  async function deploy(name: string, urls: string[], manifest: unknown = {}) {
    const deployment = await store.ensureDeployment({
      entityRef: `component:default/${name}`,
      environment: 'development',
      createdBy: 'user:default/test',
    });
    const release = await store.createRelease({
      deploymentId: deployment.id,
      manifest,
      source: Buffer.from(''),
      desiredInstances: urls.length,
      createdBy: 'user:default/test',
    });
    await store.updateDeployment(deployment.id, {
      activeReleaseId: release.id,
      status: 'ready',
    });
    for (const url of urls) {
      const instance = await store.createInstance({
        deploymentId: deployment.id,
        releaseId: release.id,
      });
      await store.updateInstance(instance.id, { state: 'ready', url });
    }
    await gateway.refresh();
    return gateway.hostFor(`component:default/${name}`, 'development');
  }

  return { gateway, store, deploy, stop: () => gateway.stop() };
}
