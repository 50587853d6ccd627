import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net, { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  localComponent,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { coderunnerPlugin } from '../plugin';

jest.setTimeout(180_000);

const examples = path.resolve(__dirname, '../../../../examples');
const TOKEN = 'scrape-token-for-the-prometheus-test';
const REQUESTS = 25;
const base = '/api/coderunner/entities/component/default/hello-node';

/** A port nothing listens on right now, for Prometheus' own web server. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Polls until `check` returns a value; fails with the last reason after `attempts` tries. */
async function eventually<T>(
  what: () => string,
  check: () => Promise<T | undefined>,
  attempts = 600,
): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`Gave up waiting for ${what()}: ${last}`);
}

function getThroughGateway(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', headers: { host } }, res => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

describe('a real Prometheus scraping /api/coderunner/metrics', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  let prometheus: ChildProcess | undefined;
  let dir: string;
  beforeAll(async () => {
    env = await startTestEmulator();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coderunner-prometheus-'));
  });
  afterAll(async () => {
    if (prometheus?.exitCode === null) {
      const exited = new Promise(resolve => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await fs.rm(dir, { recursive: true, force: true });
    await env.stop();
  });

  it('counts the requests sent through the gateway and fills the latency histogram', async () => {
    // Tasks run when the test triggers them, not on timers.
    const scheduler = mockServices.scheduler();
    const { server } = await startTestBackend({
      features: [
        coderunnerPlugin,
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        catalogServiceMock.factory({
          entities: [
            localComponent('hello-node', path.join(examples, 'hello-node')),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            coderunner: {
              environments: ['development'],
              gateway: { port: 0, listenHost: '127.0.0.1' },
              source: { localRoots: [examples] },
              agentsphere: {
                apiKey: env.emulator.apiKey,
                domain: env.emulator.domain,
              },
              metrics: { token: TOKEN },
            },
          },
        }),
      ],
    });

    expect(
      (
        await request(server)
          .post(`${base}/deployments/development/deploy`)
          .send({})
      ).status,
    ).toBe(202);
    const url = await eventually(
      () => 'the deployment to be ready',
      async () => {
        const [deployment] = (await request(server).get(`${base}/deployments`))
          .body.items;
        return deployment?.status === 'ready'
          ? (deployment.url as string)
          : undefined;
      },
    );
    const { hostname, port: gatewayPort } = new URL(url);
    for (let i = 0; i < REQUESTS; i++) {
      expect(await getThroughGateway(Number(gatewayPort), hostname)).toBe(200);
    }

    const backendPort = (server.address() as AddressInfo).port;
    const prometheusPort = await freePort();
    await fs.writeFile(
      path.join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: coderunner',
        '    metrics_path: /api/coderunner/metrics',
        `    authorization: { type: Bearer, credentials: ${TOKEN} }`,
        `    static_configs: [{ targets: ['127.0.0.1:${backendPort}'] }]`,
      ].join('\n'),
    );
    let output = '';
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', chunk => (output += chunk));
    prometheus.stderr!.on('data', chunk => (output += chunk));
    const spawnFailed = new Promise<never>((_, reject) =>
      prometheus!.once('error', error =>
        reject(
          new Error(
            `prometheus could not start (install Debian's prometheus package): ${error}`,
          ),
        ),
      ),
    );

    const query = async (promql: string) => {
      const response = await fetch(
        `http://127.0.0.1:${prometheusPort}/api/v1/query?query=${encodeURIComponent(
          promql,
        )}`,
      );
      const body = await response.json();
      return body.data.result as {
        metric: Record<string, string>;
        value: [number, string];
      }[];
    };
    const selector =
      'job="coderunner",entity="component:default/hello-node",environment="development"';
    const counted = await Promise.race([
      spawnFailed,
      eventually(
        () =>
          `Prometheus to have scraped ${REQUESTS} requests (its output: ${output})`,
        async () => {
          const [sample] = await query(
            `sum(coderunner_gateway_requests_total{${selector}})`,
          );
          return sample && Number(sample.value[1]) === REQUESTS
            ? sample
            : undefined;
        },
      ),
    ]);
    expect(Number(counted.value[1])).toBe(REQUESTS);

    const [ok] = await query(
      `sum(coderunner_gateway_requests_total{${selector},code="2xx"})`,
    );
    expect(Number(ok.value[1])).toBe(REQUESTS);
    const buckets = await query(
      `coderunner_gateway_request_duration_seconds_bucket{${selector}}`,
    );
    expect(buckets.length).toBeGreaterThan(1);
    const inf = buckets.find(b => b.metric.le === '+Inf')!;
    expect(Number(inf.value[1])).toBe(REQUESTS);
    const [count] = await query(
      `coderunner_gateway_request_duration_seconds_count{${selector}}`,
    );
    expect(Number(count.value[1])).toBe(REQUESTS);
    const [sum] = await query(
      `coderunner_gateway_request_duration_seconds_sum{${selector}}`,
    );
    expect(Number(sum.value[1])).toBeGreaterThan(0);
    const [ready] = await query(
      `coderunner_deployment_instances{${selector},state="ready"}`,
    );
    expect(Number(ready.value[1])).toBe(1);
    const perInstance = await query(
      `coderunner_gateway_instance_requests_total{${selector}}`,
    );
    expect(perInstance.map(sample => Number(sample.value[1]))).toEqual([
      REQUESTS,
    ]);
    expect(perInstance[0].metric.instance_id).toMatch(/^[0-9a-f-]{36}$/);
    const [up] = await query('up{job="coderunner"}');
    expect(Number(up.value[1])).toBe(1);

    // The same requests reach the time-series store with the gateway's next flush, and the
    // sandbox's memory with the next poll.
    await scheduler.triggerTask('coderunner-metrics-gateway-flush');
    await scheduler.triggerTask('coderunner-metrics-sandbox-usage');
    const read = (metric: string, extra = '') =>
      request(server).get(
        `${base}/deployments/development/metrics?metric=${metric}&window=15m${extra}`,
      );
    const requests = await read('requests', '&step=60');
    expect(requests.status).toBe(200);
    expect(requests.body).toMatchObject({
      metric: 'requests',
      stepSeconds: 60,
    });
    const total = requests.body.points.reduce(
      (all: number, p: { value: number }) => all + p.value * 60,
      0,
    );
    expect(Math.round(total)).toBe(REQUESTS);
    const latency = await read('latency_p95_ms');
    expect(latency.body.stepSeconds).toBe(10);
    expect(latency.body.points).toHaveLength(1);
    expect(latency.body.points[0].value).toBeGreaterThan(0);
    // Prometheus sees the polled memory with its next scrape.
    const [scrapedMemory] = await eventually(
      () => 'the polled memory in Prometheus',
      async () => {
        const found = await query(
          `coderunner_deployment_memory_mib{${selector}}`,
        );
        return found.length ? found : undefined;
      },
    );
    expect(Number(scrapedMemory.value[1])).toBeGreaterThan(5);
    const memory = await read('memory_mib');
    expect(memory.body.points).toHaveLength(1);
    expect(memory.body.points[0].value).toBeGreaterThan(5);
  });
});
