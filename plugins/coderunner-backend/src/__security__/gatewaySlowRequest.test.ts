import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { startTestGateway } from '../gateway/__testUtils__/startTestGateway';

const databases = createTestDatabases();

jest.setTimeout(60_000);

/**
 * Review of the gateway's retries (1e75471). Whoever can reach an app's URL (nobody signs in
 * at the gateway) chooses which of its endpoints to call. An instance that is up and merely
 * slow to answer one endpoint (a report, a long poll) must not be taken for dead: marking it
 * unhealthy makes the lease holder replace it, so one anonymous request to a slow endpoint
 * per instance would replace every instance of an app without a health path.
 */
describe('a slow endpoint called through the gateway', () => {
  it('does not get an instance that is up marked unhealthy', async () => {
    const knex = await databases.init('SQLITE_3');
    const fixture = await startTestGateway(knex, { answerTimeoutSeconds: 1 });
    const slow: http.ServerResponse[] = [];
    const server = http.createServer((req, res) => {
      if (req.url === '/report') {
        slow.push(res); // answers only when the test ends
        return;
      }
      res.end('ok');
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      // No run.health.path: the gateway has only the failed request to go by.
      const host = await fixture.deploy('reports', [url]);
      const marking = jest.spyOn(fixture.store, 'markInstanceUnhealthy');
      const status = await new Promise<number>((resolve, reject) => {
        http
          .get(
            {
              host: '127.0.0.1',
              port: fixture.gateway.port,
              path: '/report',
              headers: { host },
            },
            res => {
              res.resume();
              resolve(res.statusCode!);
            },
          )
          .on('error', reject);
      });
      // The client gets the gateway's own answer after its wait for the headers, not retried...
      expect(status).toBe(504);
      // ...and the instance, which answers everything else, stays in service.
      expect(marking).not.toHaveBeenCalled();
      const [deployment] = await fixture.store.listDeployments();
      const [instance] = await fixture.store.listInstances(deployment.id);
      expect(instance.state).toBe('ready');
    } finally {
      for (const res of slow) res.end();
      await fixture.stop();
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
      await knex.destroy();
    }
  });
});
