import { coderunnerDeploymentReadPermission } from '@coderunner/plugin-coderunner-common';
import { Knex } from 'knex';
import {
  deploymentWithScalingRelease,
  scalingControllerWithoutReconciler,
} from '../__testUtils__/scalingFixture';
import {
  guardForbidding,
  startLogHub,
  startStreamReplica,
  StreamTestClient,
} from '../__testUtils__/streamReplica';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { LogHub } from '../logs/LogHub';
import { PgNotifyTransport } from '../logs/PgNotifyTransport';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ENTITY = 'component:default/hello-node';
const FORBIDDEN = 'component:default/secret-service';

/** One backend replica: a scaling controller and the stream, on a shared database. */
async function startReplica(knex: Knex, hub: LogHub, deploymentId: string) {
  const { controller } = scalingControllerWithoutReconciler(
    knex,
    DatabaseDeploymentStore.fromKnex(knex),
  );
  // As createScalingCapability wires it: people's actions reach the other replicas.
  controller.onChange(id => hub.statusChanged(id));
  const replica = await startStreamReplica({
    knex,
    hub,
    deploymentId,
    // The scaling topic is read with the deployment read permission.
    guard: guardForbidding(FORBIDDEN, [
      coderunnerDeploymentReadPermission.name,
    ]),
    scaling: controller,
  });
  return { ...replica, controller };
}

describe.each(databases.eachSupportedId())(
  'The scaling stream topic on %p',
  databaseId => {
    it('sends the status on subscribe and each decision, also one made on another replica, and refuses an entity the user may not read', async () => {
      const knex = await databases.init(databaseId);
      const { deployment } = await deploymentWithScalingRelease(knex, ENTITY);
      // Replicas on PostgreSQL hear each other through LISTEN/NOTIFY; on SQLite (one
      // process) they share a hub.
      const hubA = await startLogHub(knex);
      const hubB = PgNotifyTransport.isSupported(knex)
        ? await startLogHub(knex)
        : hubA;
      const a = await startReplica(knex, hubA, deployment.id);
      const b = await startReplica(knex, hubB, deployment.id);
      const client = await StreamTestClient.connect(a.url);
      try {
        client.send({
          type: 'subscribe',
          id: 'forbidden',
          topic: 'scaling',
          entityRef: FORBIDDEN,
          environment: 'development',
        });
        client.send({
          type: 'subscribe',
          id: 's',
          topic: 'scaling',
          entityRef: ENTITY,
          environment: 'development',
        });
        await client.waitFor(() => client.scaling().length === 1);
        expect(client.messages).toContainEqual(
          expect.objectContaining({
            type: 'error',
            id: 'forbidden',
            code: 'forbidden',
          }),
        );
        expect(client.scaling()[0]).toMatchObject({
          id: 's',
          status: {
            environment: 'development',
            autoscaling: true,
            desiredInstances: 1,
          },
        });

        // A hold on this replica: its decision comes with the message.
        await a.controller.hold(
          ENTITY,
          'development',
          { instances: 2, reason: 'launch' },
          'user:default/jane',
        );
        await client.waitFor(() =>
          client.scaling().some(m => m.decision?.cause === 'manual'),
        );
        expect(
          client.scaling().find(m => m.decision?.cause === 'manual'),
        ).toMatchObject({
          status: { desiredInstances: 2, hold: { reason: 'launch' } },
          decision: { from: 1, to: 2 },
        });

        // A pause on the other replica arrives through the hub.
        await b.controller.pause(
          ENTITY,
          'development',
          'investigating',
          'user:default/jane',
        );
        await client.waitFor(() =>
          client.scaling().some(m => m.decision?.cause === 'paused'),
        );
        expect(
          client.scaling().find(m => m.decision?.cause === 'paused')?.status
            .paused,
        ).toMatchObject({ reason: 'investigating' });
      } finally {
        client.ws.close();
        await a.backend.stop();
        await b.backend.stop();
        await hubA.stop();
        if (hubB !== hubA) await hubB.stop();
      }
    });
  },
);
