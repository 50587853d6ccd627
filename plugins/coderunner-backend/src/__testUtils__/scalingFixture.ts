import { mockServices } from '@backstage/backend-test-utils';
import { parseManifest } from '@coderunner/plugin-coderunner-common';
import { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { DatabaseMetricsStore } from '../metrics/DatabaseMetricsStore';
import { DatabaseScalingStore } from '../scaling/DatabaseScalingStore';
import { ScalingController } from '../scaling/ScalingController';

/**
 * Migrates `knex` and makes `entityRef`'s development deployment, whose active release carries
 * examples/hello-node's manifest (web-app scaling template, 1 to 3) at one instance. Nothing runs:
 * the release has an empty source and no reconciler has seen it.
 */
export async function deploymentWithScalingRelease(
  knex: Knex,
  entityRef = 'component:default/hello-node',
) {
  await migrateDatabaseUp(knex);
  const store = DatabaseDeploymentStore.fromKnex(knex);
  const deployment = await store.ensureDeployment({
    entityRef,
    environment: 'development',
    createdBy: 'user:default/test',
  });
  const { manifest } = parseManifest(
    fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../../examples/hello-node/coderunner.yaml',
      ),
      'utf8',
    ),
  );
  const release = await store.createRelease({
    deploymentId: deployment.id,
    manifest,
    source: Buffer.from(''),
    desiredInstances: 1,
    createdBy: 'user:default/test',
  });
  await store.updateDeployment(deployment.id, {
    activeReleaseId: release.id,
  });
  return { store, deployment };
}

/**
 * A ScalingController on `knex` with 15 s steps and ticks, no reconciler (it records the
 * deployments it would trigger in `triggered`), a mock logger and, unless given, a mock auditor.
 */
export function scalingControllerWithoutReconciler(
  knex: Knex,
  deployments: DeploymentStore,
  options: Partial<ConstructorParameters<typeof ScalingController>[0]> = {},
) {
  const triggered: string[] = [];
  const controller = new ScalingController({
    deployments,
    store: DatabaseScalingStore.create({ knex }),
    metrics: DatabaseMetricsStore.create({ knex, rawRetentionMs: 3600_000 }),
    reconciler: {
      trigger: id => triggered.push(id),
      logWriter: () => ({ line() {} }),
    },
    auditor: mockServices.auditor.mock(),
    logger: mockServices.logger.mock(),
    stepSeconds: 15,
    tickSeconds: 15,
    ...options,
  });
  return { controller, triggered };
}
