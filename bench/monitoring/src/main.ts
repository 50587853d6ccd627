/**
 * Monitoring benchmark: what measuring costs. Run from the repo root with
 *
 *   yarn tsx bench/monitoring/src/main.ts
 *
 * Offline, on 127.0.0.1 only, SQLite in a temporary file; writes bench/results/monitoring.json.
 * Rows:
 * - the gateway's added work per request for its metrics (timed over a million requests' worth
 *   of the exact calls the request path makes), against the gateway's own p99;
 * - gateway vs connecting to the instance directly: requests/s and p99, alternating rounds;
 * - the gateway with its request metrics on vs off (`coderunner.metrics.gateway.enabled`): two
 *   gateways in this process on the same route, 20 rounds alternating which goes first; the
 *   ratio of requests/s and the difference of p99 per round, their median and range;
 * - `/metrics` rendering with 1,000 deployments (gateway series and instance counts);
 * - a gateway flush of 1,000 busy deployments into the store;
 * - CPU of polling 1,000 simulated sandboxes (a runtime that answers at once), per 5 s interval;
 * - a day's chart (24 h at 12-minute steps) from a day of raw samples;
 * - `/health` (the plugin's router with every readiness component) answered while the gateway
 *   carries the load of the gateway rounds, in the same process as it would be in the backend.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { migrateDatabaseUp } from '@coderunner/plugin-coderunner-backend/src/database/migrateDatabase';
import { DatabaseDeploymentStore } from '@coderunner/plugin-coderunner-backend/src/deployments/DatabaseDeploymentStore';
import { DeploymentStore } from '@coderunner/plugin-coderunner-backend/src/deployments/DeploymentStore';
import { Gateway } from '@coderunner/plugin-coderunner-backend/src/gateway/Gateway';
import { RequestMetrics } from '@coderunner/plugin-coderunner-backend/src/gateway/RequestMetrics';
import { DatabaseDeploymentCensus } from '@coderunner/plugin-coderunner-backend/src/metrics/DeploymentCensus';
import { DatabaseMetricsStore } from '@coderunner/plugin-coderunner-backend/src/metrics/DatabaseMetricsStore';
import { registerDeploymentCollectors } from '@coderunner/plugin-coderunner-backend/src/metrics/deploymentCollectors';
import { GatewayMetricsFlusher } from '@coderunner/plugin-coderunner-backend/src/metrics/GatewayMetricsFlusher';
import { registerGatewayCollectors } from '@coderunner/plugin-coderunner-backend/src/metrics/gatewayCollectors';
import { MetricSample } from '@coderunner/plugin-coderunner-backend/src/metrics/MetricsStore';
import { SandboxUsagePoller } from '@coderunner/plugin-coderunner-backend/src/metrics/SandboxUsagePoller';
import {
  agentSphereHealth,
  databaseHealth,
  logPipelineHealth,
  metricsPollerHealth,
  reconcilerHealth,
} from '@coderunner/plugin-coderunner-backend/src/health/components';
import { ReadinessCheck } from '@coderunner/plugin-coderunner-backend/src/health/ReadinessCheck';
import { DatabaseLogStore } from '@coderunner/plugin-coderunner-backend/src/logs/DatabaseLogStore';
import { LogHub } from '@coderunner/plugin-coderunner-backend/src/logs/LogHub';
import { Reconciler } from '@coderunner/plugin-coderunner-backend/src/orchestrator/Reconciler';
import { AgentSphereRuntime } from '@coderunner/plugin-coderunner-backend/src/runtime';
import { createRouter } from '@coderunner/plugin-coderunner-backend/src/service/router';
import { SandboxRuntime } from '@coderunner/plugin-coderunner-node';
import express from 'express';
import { headCommit, machine } from '@coderunner/bench-common/src/runInfo';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { Registry } from 'prom-client';
import { Pool } from 'undici';

const repo = path.resolve(__dirname, '../../..');
const DEPLOYMENTS = 1000;

/** Warnings and errors only: the load would drown the output otherwise. */
const logger: LoggerService = {
  error: message => console.error(message),
  warn: message => console.warn(message),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

const median = (values: number[]) => percentile(values, 50);
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}
const round = (value: number, digits = 2) =>
  Math.round(value * 10 ** digits) / 10 ** digits;

/** The exact per-request calls of the gateway's metrics, timed in bulk. */
function perRequestCostNs(): number[] {
  const metrics = new RequestMetrics();
  const series = metrics.deployment({
    deploymentId: 'd',
    entityRef: 'component:default/x',
    environment: 'production',
  });
  const byOrigin = new Map([
    ['http://127.0.0.1:1', metrics.instance(series, 'i')],
  ]);
  const runs: number[] = [];
  for (let run = 0; run < 7; run++) {
    const n = 1_000_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const counters = series.counters;
      const begun = performance.now();
      counters.inFlight += 1;
      const instance = byOrigin.get('http://127.0.0.1:1');
      const attempt = performance.now();
      instance?.observe(200, (performance.now() - attempt) / 1000);
      counters.inFlight -= 1;
      counters.observe(200, (performance.now() - begun) / 1000);
    }
    runs.push(Number(process.hrtime.bigint() - started) / n);
  }
  return runs;
}

/** `count` GETs with `concurrency` in flight over keep-alive connections; latencies in ms. */
async function load(
  origin: string,
  host: string,
  count: number,
  concurrency: number,
  urlPath = '/',
) {
  const pool = new Pool(origin, { connections: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next += 1;
      const begun = performance.now();
      const { statusCode, body } = await pool.request({
        path: urlPath,
        method: 'GET',
        headers: { host },
      });
      await body.dump();
      if (statusCode !== 200) throw new Error(`status ${statusCode}`);
      latencies.push(performance.now() - begun);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { perSecond: count / seconds, p99: percentile(latencies, 99) };
}

/** A ready deployment with one instance, as the reconciler records one. */
async function deployOne(
  store: DeploymentStore,
  name: string,
  environment: string,
  instance: { sandboxId?: string; url?: string },
) {
  const deployment = await store.ensureDeployment({
    entityRef: `component:default/${name}`,
    environment,
    createdBy: 'user:default/bench',
  });
  const release = await store.createRelease({
    deploymentId: deployment.id,
    manifest: {},
    source: Buffer.from(''),
    desiredInstances: 1,
    createdBy: 'user:default/bench',
  });
  await store.updateDeployment(deployment.id, {
    activeReleaseId: release.id,
    status: 'ready',
  });
  const created = await store.createInstance({
    deploymentId: deployment.id,
    releaseId: release.id,
  });
  await store.updateInstance(created.id, { state: 'ready', ...instance });
  return deployment.id;
}

async function seed(store: DeploymentStore) {
  const ids: string[] = [];
  for (let i = 0; i < DEPLOYMENTS; i++) {
    ids.push(
      await deployOne(store, `service-${i}`, i % 2 ? 'production' : 'staging', {
        sandboxId: `sandbox-${i}`,
      }),
    );
  }
  return ids;
}

async function main() {
  // The machine is shared: the load average beside the figures says how busy it was.
  const loadBefore = os.loadavg().map(l => round(l));
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'coderunner-bench-monitoring-'),
  );
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  await migrateDatabaseUp(knex);
  const store = DatabaseDeploymentStore.fromKnex(knex);

  // 1. Added work per request.
  const costNs = perRequestCostNs();
  process.stdout.write(
    `metrics work per request: ${round(median(costNs))} ns\n`,
  );

  // 2. Gateway vs direct.
  const app = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  await new Promise<void>(resolve => app.listen(0, '127.0.0.1', resolve));
  const appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  const gateway = new Gateway(
    store,
    {
      port: 0,
      baseDomain: 'localhost',
      publicScheme: 'http',
      listenHost: '127.0.0.1',
    },
    logger,
  );
  await gateway.start();
  await deployOne(store, 'bench', 'production', { url: `${appOrigin}/` });
  await gateway.refresh();
  const host = gateway.hostFor('component:default/bench', 'production');
  const gatewayOrigin = `http://127.0.0.1:${gateway.port}`;
  const viaGateway: { perSecond: number; p99: number }[] = [];
  const direct: { perSecond: number; p99: number }[] = [];
  await load(gatewayOrigin, host, 1000, 16);
  await load(appOrigin, host, 1000, 16);
  for (let round = 0; round < 5; round++) {
    viaGateway.push(await load(gatewayOrigin, host, 5000, 16));
    direct.push(await load(appOrigin, host, 5000, 16));
    process.stdout.write(
      `round ${round + 1}: gateway ${Math.round(
        viaGateway[round].perSecond,
      )}/s p99 ${viaGateway[round].p99.toFixed(2)} ms; direct ${Math.round(
        direct[round].perSecond,
      )}/s p99 ${direct[round].p99.toFixed(2)} ms\n`,
    );
  }

  // 2a. Metrics on vs off: the same gateway code with `measureRequests: false` (what
  // `coderunner.metrics.gateway.enabled: false` sets), on the same route. Each round runs both,
  // alternating which goes first, so drift in the machine's load falls on both alike.
  const unmeasured = new Gateway(
    store,
    {
      port: 0,
      baseDomain: 'localhost',
      publicScheme: 'http',
      listenHost: '127.0.0.1',
      measureRequests: false,
    },
    logger,
  );
  await unmeasured.start();
  await unmeasured.refresh();
  const unmeasuredOrigin = `http://127.0.0.1:${unmeasured.port}`;
  await load(unmeasuredOrigin, host, 1000, 16);
  const onOff: { throughputRatio: number; addedP99: number }[] = [];
  for (let round = 0; round < 20; round++) {
    const first = round % 2 ? unmeasuredOrigin : gatewayOrigin;
    const second = round % 2 ? gatewayOrigin : unmeasuredOrigin;
    const a = await load(first, host, 5000, 16);
    const b = await load(second, host, 5000, 16);
    const [on, off] = round % 2 ? [b, a] : [a, b];
    onOff.push({
      throughputRatio: on.perSecond / off.perSecond,
      addedP99: on.p99 - off.p99,
    });
    process.stdout.write(
      `on/off round ${round + 1}: on ${Math.round(
        on.perSecond,
      )}/s p99 ${on.p99.toFixed(2)} ms; off ${Math.round(
        off.perSecond,
      )}/s p99 ${off.p99.toFixed(2)} ms\n`,
    );
  }
  await unmeasured.stop();
  const fewer = onOff.map(r => (1 - r.throughputRatio) * 100);
  const added = onOff.map(r => r.addedP99);

  // 2b. /health while the gateway carries the same load. The reconciler runs its real loop on
  // an empty database of its own, with a runtime that finds no sandboxes (the only call its
  // loop makes without deployments); the AgentSphere runtime is one no call has been made to.
  const reconcilerKnex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'reconciler.sqlite') },
    useNullAsDefault: true,
  });
  await migrateDatabaseUp(reconcilerKnex);
  const noSandboxes = {
    listSandboxes: async () => [],
  } as unknown as SandboxRuntime;
  const reconcilerStore = DatabaseDeploymentStore.fromKnex(reconcilerKnex);
  const reconciler = new Reconciler(
    noSandboxes,
    reconcilerStore,
    reconcilerKnex,
    DatabaseLogStore.create({ knex: reconcilerKnex }),
    logger,
  );
  await reconciler.start();
  const logHub = new LogHub();
  await logHub.start();
  const healthPoller = new SandboxUsagePoller(
    { getResourceUsage: async () => undefined },
    DatabaseDeploymentCensus.create({ knex }),
    DatabaseMetricsStore.create({ knex, rawRetentionMs: 3600_000 }),
    logger,
  );
  await healthPoller.poll();
  const pluginRouter = await createRouter({
    // /health uses none of these; the other routes are not called here.
    httpAuth: undefined as never,
    entityGuard: undefined as never,
    sourceReader: undefined as never,
    environments: ['production'],
    runtimeName: 'agentsphere',
    readiness: new ReadinessCheck([
      databaseHealth(knex),
      agentSphereHealth(
        AgentSphereRuntime.create({
          logger,
          apiKey: 'bench',
          domain: 'agentsphere.test',
        }),
        'agentsphere',
      ),
      logPipelineHealth(logHub),
      reconcilerHealth(reconciler),
      metricsPollerHealth(healthPoller, 15_000),
    ]),
  });
  const healthServer = http.createServer(
    express().use('/api/coderunner', pluginRouter),
  );
  await new Promise<void>(resolve =>
    healthServer.listen(0, '127.0.0.1', resolve),
  );
  const healthOrigin = `http://127.0.0.1:${
    (healthServer.address() as AddressInfo).port
  }`;
  const healthPath = '/api/coderunner/health';
  await load(healthOrigin, 'localhost', 200, 4, healthPath);
  const healthUnderLoad: number[] = [];
  for (let round = 0; round < 5; round++) {
    const [gatewayRound, healthRound] = await Promise.all([
      load(gatewayOrigin, host, 5000, 16),
      load(healthOrigin, 'localhost', 1000, 4, healthPath),
    ]);
    healthUnderLoad.push(healthRound.p99);
    process.stdout.write(
      `health round ${round + 1}: /health p99 ${healthRound.p99.toFixed(
        2,
      )} ms (${Math.round(
        healthRound.perSecond,
      )}/s) with the gateway at ${Math.round(gatewayRound.perSecond)}/s\n`,
    );
  }
  await new Promise(resolve => healthServer.close(resolve));
  await reconciler.stop();
  await logHub.stop();
  await reconcilerKnex.destroy();

  await gateway.stop();
  await new Promise(resolve => app.close(resolve));

  // 3. /metrics with 1,000 deployments.
  const ids = await seed(store);
  const requests = new RequestMetrics();
  const seriesOf = ids.map((deploymentId, i) =>
    requests.deployment({
      deploymentId,
      entityRef: `component:default/service-${i}`,
      environment: 'production',
    }),
  );
  const fill = () => {
    for (const series of seriesOf) {
      for (let r = 0; r < 50; r++)
        series.counters.observe(r % 20 ? 200 : 503, 0.002 * (r + 1));
    }
  };
  fill();
  const registry = new Registry();
  registerGatewayCollectors(registry, requests);
  registerDeploymentCollectors(
    registry,
    DatabaseDeploymentCensus.create({ knex }),
  );
  const scrapes: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    bytes = (await registry.metrics()).length;
    scrapes.push(performance.now() - started);
  }
  process.stdout.write(
    `scrape: ${round(median(scrapes))} ms, ${bytes} bytes\n`,
  );

  // 4. Flush of 1,000 busy deployments.
  const metricsStore = DatabaseMetricsStore.create({
    knex,
    rawRetentionMs: 24 * 3600_000,
  });
  const flusher = new GatewayMetricsFlusher(requests, metricsStore);
  const flushes: number[] = [];
  for (let i = 0; i < 10; i++) {
    fill();
    const started = performance.now();
    await flusher.flush();
    flushes.push(performance.now() - started);
  }
  process.stdout.write(`flush: ${round(median(flushes))} ms\n`);

  // 5. Polling 1,000 simulated sandboxes.
  const usage = {
    timestamp: new Date(),
    cpuCount: 2,
    cpuUsedPercent: 12.5,
    memoryUsedMiB: 80,
    memoryTotalMiB: 512,
  };
  const poller = new SandboxUsagePoller(
    { getResourceUsage: async () => usage },
    DatabaseDeploymentCensus.create({ knex }),
    metricsStore,
    logger,
  );
  const pollCpu: number[] = [];
  for (let i = 0; i < 10; i++) {
    const before = process.cpuUsage();
    await poller.poll();
    const used = process.cpuUsage(before);
    pollCpu.push((used.user + used.system) / 1000);
  }
  process.stdout.write(`poll: ${round(median(pollCpu))} ms CPU\n`);

  // 6. A day's chart from a day of raw samples (one sample every 15 s).
  const now = Date.now();
  const day: MetricSample[] = [];
  for (let t = now - 24 * 3600_000; t < now; t += 15_000) {
    day.push({
      deploymentId: ids[0],
      metric: 'latency_p95_ms',
      at: new Date(t),
      sum: 40 * 10,
      count: 10,
    });
  }
  await metricsStore.write(day);
  const charts: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await metricsStore.query({
      deploymentId: ids[0],
      metric: 'latency_p95_ms',
      from: new Date(now - 24 * 3600_000 + 60_000),
      to: new Date(now),
      stepSeconds: 720,
    });
    charts.push(performance.now() - started);
  }
  process.stdout.write(`day chart: ${round(median(charts))} ms\n`);

  const gatewayP99 = median(viaGateway.map(r => r.p99));
  const report = {
    benchmark: 'monitoring',
    date: new Date().toISOString(),
    commit: headCommit(),
    machine: machine({
      database: 'sqlite (better-sqlite3, temporary file)',
    }),
    setup: {
      loadAverage: {
        before: loadBefore,
        after: os.loadavg().map(l => round(l)),
      },
      method:
        'medians of repeated runs in one process; load: 5 alternating rounds of 5,000 GETs, 16 in flight over keep-alive, to a Node.js app answering "ok", through the gateway and directly; per-request cost: 7 runs of 1,000,000 iterations of the calls the request path makes for metrics; scrape, flush, poll: 1,000 deployments with one ready instance each; /health: 5 rounds of 1,000 GETs, 4 in flight, each during a gateway round of 5,000 GETs, 16 in flight; metrics on vs off: two gateways in one process on the same route, one with measureRequests false (coderunner.metrics.gateway.enabled: false), 20 rounds of 5,000 GETs each, 16 in flight, alternating which goes first; per round the requests/s lost and the p99 added with metrics on, median and range over rounds (negative: on was faster in that round)',
    },
    results: [
      {
        name: 'gateway metrics work per request (added to every request, p99 included)',
        value: round(median(costNs) / 1e6, 5),
        unit: 'ms',
        goal: 0.5,
        better: 'lower',
      },
      {
        // The gateway's event loop does every request's work in turn: at its measured rate the
        // metrics work takes this share of it, which is the throughput it costs.
        name: 'throughput lost to gateway metrics (work per request × requests/s)',
        value: round(
          ((median(costNs) * median(viaGateway.map(r => r.perSecond))) / 1e9) *
            100,
          3,
        ),
        unit: '%',
        goal: 3,
        better: 'lower',
      },
      {
        name: 'gateway requests/s lost with metrics on vs off (median of 20 alternating rounds)',
        value: round(median(fewer), 2),
        unit: '%',
        goal: 3,
        better: 'lower',
      },
      {
        name: 'gateway requests/s lost with metrics on vs off, lowest round',
        value: round(Math.min(...fewer), 2),
        unit: '%',
      },
      {
        name: 'gateway requests/s lost with metrics on vs off, highest round',
        value: round(Math.max(...fewer), 2),
        unit: '%',
      },
      {
        name: 'gateway p99 added with metrics on vs off (median of 20 alternating rounds)',
        value: round(median(added), 3),
        unit: 'ms',
        goal: 0.5,
        better: 'lower',
      },
      {
        name: 'gateway p99 added with metrics on vs off, lowest round',
        value: round(Math.min(...added), 3),
        unit: 'ms',
      },
      {
        name: 'gateway p99 added with metrics on vs off, highest round',
        value: round(Math.max(...added), 3),
        unit: 'ms',
      },
      {
        name: 'gateway throughput',
        value: Math.round(median(viaGateway.map(r => r.perSecond))),
        unit: 'requests/s',
      },
      { name: 'gateway p99', value: round(gatewayP99), unit: 'ms' },
      {
        name: 'gateway vs direct throughput',
        value: round(
          median(viaGateway.map(r => r.perSecond)) /
            median(direct.map(r => r.perSecond)),
          3,
        ),
        unit: 'ratio',
      },
      {
        name: 'poll CPU for 1,000 simulated sandboxes every 5 s',
        value: round((median(pollCpu) / 5000) * 100, 3),
        unit: '% of one core',
        goal: 2,
        better: 'lower',
      },
      {
        name: '/metrics render with 1,000 deployments',
        value: round(median(scrapes)),
        unit: 'ms',
        goal: 100,
        better: 'lower',
      },
      {
        name: '/metrics size with 1,000 deployments',
        value: bytes,
        unit: 'bytes',
      },
      {
        name: 'gateway flush of 1,000 busy deployments',
        value: round(median(flushes)),
        unit: 'ms',
      },
      {
        name: 'day chart (24 h, 12-minute steps) from raw samples',
        value: round(median(charts)),
        unit: 'ms',
      },
      {
        name: '/health p99 under load (4 in flight, gateway under 16 in flight in the same process)',
        value: round(median(healthUnderLoad)),
        unit: 'ms',
        goal: 50,
        better: 'lower',
      },
    ],
    peers: [
      {
        name: 'direct to the instance, throughput',
        value: Math.round(median(direct.map(r => r.perSecond))),
        unit: 'requests/s',
      },
      {
        name: 'direct to the instance, p99',
        value: round(median(direct.map(r => r.p99))),
        unit: 'ms',
      },
    ],
  };
  const out = path.join(repo, 'bench/results/monitoring.json');
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report.results, null, 2));
  await knex.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
