import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { DatabaseLogStore } from '../logs/DatabaseLogStore';

/** Migrates `knex` the way the plugin does and makes a deployment to write log lines for. */
export async function deploymentWithLogs(
  knex: Knex,
  entityRef = 'component:default/hello-node',
) {
  const database = mockServices.database({ knex, migrations: { skip: false } });
  const deployments = await DatabaseDeploymentStore.create({ database });
  const deployment = await deployments.ensureDeployment({
    entityRef,
    environment: 'development',
    createdBy: 'user:default/guest',
  });
  return {
    deploymentId: deployment.id,
    logs: DatabaseLogStore.create({ knex }),
  };
}
