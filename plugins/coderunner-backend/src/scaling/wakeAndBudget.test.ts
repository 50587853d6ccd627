import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  deploymentWithScalingRelease,
  scalingControllerWithoutReconciler,
} from '../__testUtils__/scalingFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { DatabaseScalingStore } from './DatabaseScalingStore';
import { ScalingController } from './ScalingController';

const databases = createTestDatabases();

// Database set-up inside the tests (PostgreSQL too) takes seconds on a busy machine.
jest.setTimeout(60_000);
const ENTITY = 'component:default/hello-node';

describe.each(databases.eachSupportedId())(
  'wake and the budget cap on %p',
  databaseId => {
    let knex: Knex;
    let store: DeploymentStore;
    let deploymentId: string;
    let budget: number | undefined;
    let triggered: string[];
    let controller: ScalingController;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const made = await deploymentWithScalingRelease(knex, ENTITY);
      store = made.store;
      deploymentId = made.deployment.id;
      ({ controller, triggered } = scalingControllerWithoutReconciler(
        knex,
        store,
        {
          budgetCap: {
            maxInstances: async (entityRef, environment) =>
              entityRef === ENTITY && environment === 'development'
                ? budget
                : undefined,
          },
        },
      ));
    });

    it('wakes a deployment scaled to zero once, recording a wake decision', async () => {
      await store.updateDeployment(deploymentId, { desiredInstances: 0 });
      // Many held requests ask at once, then one more later.
      await Promise.all([1, 2, 3].map(() => controller.wake(deploymentId)));
      await controller.wake(deploymentId);
      expect((await store.getDeployment(deploymentId))!.desiredInstances).toBe(
        1,
      );
      const decisions = await DatabaseScalingStore.create({
        knex,
      }).listDecisions(deploymentId, { limit: 10 });
      expect(decisions).toHaveLength(1);
      expect(decisions[0]).toMatchObject({
        cause: 'wake',
        from: 0,
        to: 1,
        direction: 'up',
      });
      expect(triggered).toEqual([deploymentId]);
    });

    it('shows the budget cap in the effective policy and refuses a hold above it', async () => {
      budget = 2;
      const status = await controller.status(ENTITY, 'development');
      expect(status.policy).toMatchObject({
        maxInstances: 3,
        budgetMaxInstances: 2,
      });
      await expect(
        controller.hold(
          ENTITY,
          'development',
          { instances: 3, reason: 'launch' },
          'user:default/jane',
        ),
      ).rejects.toThrow(InputError);
      await expect(
        controller.hold(
          ENTITY,
          'development',
          { instances: 3, reason: 'launch' },
          'user:default/jane',
        ),
      ).rejects.toThrow(/at most 2, what the budget allows/);
      budget = undefined;
      expect(
        (await controller.status(ENTITY, 'development')).policy,
      ).not.toHaveProperty('budgetMaxInstances');
    });
  },
);
