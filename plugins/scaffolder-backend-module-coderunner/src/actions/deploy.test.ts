import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createDeployAction } from './deploy';

/**
 * A stand-in for the CodeRunner backend's HTTP API (another plugin: the boundary of this
 * module). The entity appears in the catalog after `appearsAfter` calls, and a deployment
 * becomes ready after `readyAfter` status reads.
 */
function fakeCodeRunner(options: {
  appearsAfter: number;
  readyAfter: number;
  fail?: string;
}) {
  let setupCalls = 0;
  let reads = 0;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url?.endsWith('/setup')) {
      setupCalls++;
      if (setupCalls <= options.appearsAfter) {
        return send(404, {
          error: {
            name: 'NotFoundError',
            message: 'No entity component:default/new-app in the catalog',
          },
        });
      }
      return send(200, {
        entityRef: 'component:default/new-app',
        manifestPath: 'coderunner.yaml',
        manifestFound: true,
        environments: ['development'],
      });
    }
    if (req.url?.endsWith('/deploy')) {
      return send(202, {
        deployment: {
          environment: 'development',
          status: 'deploying',
          statusReason: 'Building release 1',
        },
        release: { number: 1 },
      });
    }
    reads++;
    const ready = reads >= options.readyAfter;
    return send(200, {
      items: [
        options.fail && ready
          ? {
              environment: 'development',
              status: 'failed',
              statusReason: options.fail,
            }
          : {
              environment: 'development',
              status: ready ? 'ready' : 'deploying',
              statusReason: ready ? undefined : 'Starting release 1',
              url: 'http://new-app.development.localhost:7080/',
            },
      ],
    });
  });
  return { server, requests };
}

describe('coderunner:deploy', () => {
  const auth = mockServices.auth.mock({
    getPluginRequestToken: async () => ({ token: 'on-behalf-of-user' }),
  });

  async function run(
    fake: ReturnType<typeof fakeCodeRunner>,
    input: Record<string, unknown>,
    isDryRun = false,
  ) {
    await new Promise<void>(resolve =>
      fake.server.listen(0, '127.0.0.1', resolve),
    );
    const port = (fake.server.address() as AddressInfo).port;
    const discovery = mockServices.discovery.mock({
      getBaseUrl: async () => `http://127.0.0.1:${port}/api/coderunner`,
    });
    const ctx = {
      ...createMockActionContext({ input: input as any }),
      isDryRun,
    };
    try {
      await createDeployAction({ discovery, auth, pollIntervalMs: 10 }).handler(
        ctx as any,
      );
    } finally {
      fake.server.close();
    }
    return ctx;
  }

  it('waits for a new component to reach the catalog, deploys it as the user, and outputs its URL when ready', async () => {
    const fake = fakeCodeRunner({ appearsAfter: 2, readyAfter: 3 });
    const ctx = await run(fake, {
      entityRef: 'component:default/new-app',
      environment: 'development',
    });
    expect(ctx.output).toHaveBeenCalledWith('releaseNumber', 1);
    expect(ctx.output).toHaveBeenCalledWith(
      'url',
      'http://new-app.development.localhost:7080/',
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'ready');
    expect(fake.requests.filter(r => r.includes('/deploy '))).toEqual([
      'POST /api/coderunner/entities/component/default/new-app/deployments/development/deploy Bearer on-behalf-of-user',
    ]);
  });

  it('does not deploy in a dry run, and fails with the reason when the deployment fails', async () => {
    const dry = fakeCodeRunner({ appearsAfter: 0, readyAfter: 1 });
    const ctx = await run(
      dry,
      { entityRef: 'component:default/new-app', environment: 'development' },
      true,
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'dry-run');
    expect(dry.requests.some(r => r.includes('/deploy '))).toBe(false);

    const failing = fakeCodeRunner({
      appearsAfter: 0,
      readyAfter: 2,
      fail: 'Build of release 1 failed: `npm run build` exited with code 1',
    });
    await expect(
      run(failing, {
        entityRef: 'component:default/new-app',
        environment: 'development',
      }),
    ).rejects.toThrow('exited with code 1');

    const unknown = fakeCodeRunner({ appearsAfter: 0, readyAfter: 1 });
    await expect(
      run(unknown, {
        entityRef: 'component:default/new-app',
        environment: 'qa',
      }),
    ).rejects.toThrow('Unknown environment "qa"; use one of development.');
  });

  it('refuses an unknown environment as bad input (InputError), before deploying anything', async () => {
    const codeRunner = fakeCodeRunner({ appearsAfter: 0, readyAfter: 1 });
    await expect(
      run(codeRunner, {
        entityRef: 'component:default/new-app',
        environment: 'qa',
      }),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect(codeRunner.requests.some(r => r.includes('/deploy '))).toBe(false);
  });
});
