import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';

const databases = createTestDatabases();

async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const database = mockServices.database({ knex, migrations: { skip: false } });
  return { knex, store: await DatabaseDeploymentStore.create({ database }) };
}

describe('DatabaseDeploymentStore', () => {
  it.each(databases.eachSupportedId())(
    'keeps one deployment per entity and environment on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const options = {
        entityRef: 'component:default/hello-node',
        environment: 'staging',
        createdBy: 'user:default/guest',
      };

      const first = await store.ensureDeployment(options);
      const again = await store.ensureDeployment({
        ...options,
        createdBy: 'user:default/someone-else',
      });

      expect(again.id).toBe(first.id);
      expect(again.createdBy).toBe('user:default/guest');
      expect(first).toMatchObject({ status: 'pending', desiredInstances: 1 });
      expect(Date.parse(first.createdAt)).not.toBeNaN();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'lists by entity and records status changes with their reason on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const guest = 'user:default/guest';
      const prod = await store.ensureDeployment({
        entityRef: 'component:default/hello-node',
        environment: 'production',
        createdBy: guest,
      });
      await store.ensureDeployment({
        entityRef: 'component:default/hello-node',
        environment: 'development',
        createdBy: guest,
      });
      await store.ensureDeployment({
        entityRef: 'component:default/hello-python',
        environment: 'development',
        createdBy: guest,
      });

      const listed = await store.listDeployments({
        entityRef: 'component:default/hello-node',
      });
      expect(listed.map(d => d.environment)).toEqual([
        'development',
        'production',
      ]);
      expect(await store.listDeployments()).toHaveLength(3);

      await store.setStatus(prod.id, 'degraded', 'crash loop: exit code 1');
      expect(await store.getDeployment(prod.id)).toMatchObject({
        status: 'degraded',
        statusReason: 'crash loop: exit code 1',
      });
      await store.setStatus(prod.id, 'ready');
      expect((await store.getDeployment(prod.id))?.statusReason).toBeUndefined();

      await expect(store.setStatus('missing', 'ready')).rejects.toThrow(
        NotFoundError,
      );
      expect(await store.getDeployment('missing')).toBeUndefined();
      await knex.destroy();
    },
  );
});
