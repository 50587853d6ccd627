/*
 * bench/autoscaling-live: autoscaling in a closed loop on real sandboxes with real requests.
 *
 *   yarn workspace @coderunner/bench-autoscaling-live bench
 *
 * The hello-node example runs on the local AgentSphere emulator behind the CodeRunner gateway
 * on 127.0.0.1. autocannon replays one trace (quiet, a step up, a spike, quiet) at it through the
 * gateway, twice: once at a fixed instance count, once under the manifest's scaling policy with
 * the real controller, gateway metrics flusher and sandbox usage poller on a short period. Per
 * arm it reports SLO-violation seconds, instance-seconds, scaling decisions and the time from
 * each load step to added ready capacity; next to each, what the engine's simulator
 * (bench/autoscaling) predicts for the same trace. Offline; writes bench/results/autoscaling-live.json.
 */
import { AuditorService } from '@backstage/backend-plugin-api';
import {
  benchLogger,
  helloNodeEntity,
  startEmulatorBackend,
} from '@coderunner/bench-common/src/emulatorBackend';
import {
  headCommit,
  machine,
  REPO,
} from '@coderunner/bench-common/src/runInfo';
import { DatabaseDeploymentCensus } from '@coderunner/plugin-coderunner-backend/src/metrics/DeploymentCensus';
import { DatabaseMetricsStore } from '@coderunner/plugin-coderunner-backend/src/metrics/DatabaseMetricsStore';
import { GatewayMetricsFlusher } from '@coderunner/plugin-coderunner-backend/src/metrics/GatewayMetricsFlusher';
import { SandboxUsagePoller } from '@coderunner/plugin-coderunner-backend/src/metrics/SandboxUsagePoller';
import { DatabaseScalingStore } from '@coderunner/plugin-coderunner-backend/src/scaling/DatabaseScalingStore';
import { ScalingController } from '@coderunner/plugin-coderunner-backend/src/scaling/ScalingController';
import { CodeRunnerEngine } from '@coderunner/bench-autoscaling/src/autoscalers/codeRunnerEngine';
import { FixedCapacity } from '@coderunner/bench-autoscaling/src/autoscalers/fixedCapacity';
import { simulationConfig } from '@coderunner/bench-autoscaling/src/runner';
import { simulate } from '@coderunner/bench-autoscaling/src/simulator';
import autocannon from 'autocannon';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The trace: seconds at a request rate, in order. */
const PHASES = [
  { name: 'quiet', seconds: 20, rps: 10 },
  { name: 'step', seconds: 60, rps: 80 },
  { name: 'spike', seconds: 15, rps: 250 },
  { name: 'quiet again', seconds: 120, rps: 10 },
];
/** What every request asks for: 5 ms of CPU, as a page render costs (one instance serves at most about 200/s). */
const WORK_PATH = '/work?ms=5';
/** The policy's own latency target (hello-node's web-app template): the SLO of every second. */
const SLO_P95_MS = 200;
const SLO_ERROR_RATE = 0.01;
/** The metrics period of the policy arm: flush, poll and decide every this many seconds. */
const PERIOD_S = 5;
const FIXED_INSTANCES = 3;

const logger = benchLogger(false);
/** Audit events go nowhere in a benchmark. */
const auditor = {
  createEvent: async () => ({
    success: async () => undefined,
    fail: async () => undefined,
  }),
} as unknown as AuditorService;
const round = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
}

type Second = {
  requests: number;
  errors: number;
  latencies: number[];
  ready: number;
  instances: number;
};

async function main() {
  const backend = await startEmulatorBackend({
    logger,
    sqlite: 'temporary file',
  });
  const { emulator, knex, store, runtime, reconciler, gateway } = backend;
  const metrics = DatabaseMetricsStore.create({
    knex,
    rawRetentionMs: 24 * 3600_000,
  });
  const scalingStore = DatabaseScalingStore.create({ knex });
  const controller = new ScalingController({
    deployments: store,
    store: scalingStore,
    metrics,
    reconciler,
    auditor,
    logger,
    stepSeconds: PERIOD_S,
    tickSeconds: PERIOD_S,
  });
  const flusher = new GatewayMetricsFlusher(gateway.requestMetrics, metrics);
  const poller = new SandboxUsagePoller(
    runtime,
    DatabaseDeploymentCensus.create({ knex }),
    metrics,
    logger,
  );
  const entity = helloNodeEntity('hello-node');

  /** Deploys hello-node in `environment` with `instances`; resolves once all are ready. */
  async function deploy(environment: string, instances: number) {
    const deployment = await backend.recordHelloNodeRelease(
      entity,
      environment,
      instances,
    );
    const requested = Date.now();
    reconciler.trigger(deployment.id);
    for (;;) {
      const row = await store.getDeployment(deployment.id);
      if (row?.status === 'ready') break;
      if (row?.status === 'failed') {
        throw new Error(`deploy failed: ${row.statusReason}`);
      }
      await sleep(50);
    }
    await gateway.refresh();
    return { deployment, coldStartSeconds: (Date.now() - requested) / 1000 };
  }

  /** Replays the trace at `environment` and records every second. */
  async function replay(
    environment: string,
    deploymentId: string,
    policy: boolean,
  ) {
    const total = PHASES.reduce((sum, p) => sum + p.seconds, 0);
    const seconds: Second[] = Array.from({ length: total + 1 }, () => ({
      requests: 0,
      errors: 0,
      latencies: [],
      ready: 0,
      instances: 0,
    }));
    const started = Date.now();
    const at = () => Math.min(total, Math.floor((Date.now() - started) / 1000));
    let running = true;
    const sampler = (async () => {
      while (running) {
        const instances = await store.listInstances(deploymentId);
        const second = seconds[at()];
        second.ready = Math.max(
          second.ready,
          instances.filter(i => i.state === 'ready').length,
        );
        second.instances = Math.max(
          second.instances,
          instances.filter(i => i.state !== 'stopped').length,
        );
        await sleep(250);
      }
    })();
    const loop = policy
      ? (async () => {
          while (running) {
            await sleep(PERIOD_S * 1000);
            await flusher.flush();
            await poller.poll();
            await controller.tick();
          }
        })()
      : Promise.resolve();
    const phaseStarts: number[] = [];
    for (const phase of PHASES) {
      phaseStarts.push(at());
      let instance!: autocannon.Instance;
      const finished = new Promise<void>((resolve, reject) => {
        instance = autocannon(
          {
            // Each request costs 5 ms of CPU (hello-node's /work), so one instance saturates in the spike.
            url: `http://127.0.0.1:${gateway.port}${WORK_PATH}`,
            headers: { host: `hello-node.${environment}.localhost` },
            connections: 64,
            overallRate: phase.rps,
            duration: phase.seconds,
          },
          error => (error ? reject(error) : resolve()),
        );
      });
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        const second = seconds[at()];
        second.requests += 1;
        second.latencies.push(responseTime);
        if (statusCode >= 500) second.errors += 1;
      });
      instance.on('reqError', () => {
        const second = seconds[at()];
        second.requests += 1;
        second.errors += 1;
      });
      await finished;
    }
    running = false;
    await sampler;
    await loop;
    return {
      seconds: seconds.slice(0, total),
      phaseStarts,
      startedAt: started,
    };
  }

  function summarise(
    run: Awaited<ReturnType<typeof replay>>,
    decisions: { at: number; from: number; to: number; explanation: string }[],
  ) {
    const { seconds, phaseStarts } = run;
    let violations = 0;
    let instanceSeconds = 0;
    // The simulator's unit: a minute violates when its p95 or its error rate misses the SLO.
    let violationMinutes = 0;
    for (let m = 0; m < seconds.length; m += 60) {
      const minute = seconds.slice(m, m + 60);
      const latencies = minute.flatMap(s => s.latencies);
      const requests = minute.reduce((sum, s) => sum + s.requests, 0);
      const errors = minute.reduce((sum, s) => sum + s.errors, 0);
      if (
        (latencies.length > 0 && p95(latencies) > SLO_P95_MS) ||
        (requests > 0 && errors / requests > SLO_ERROR_RATE)
      ) {
        violationMinutes += 1;
      }
    }
    for (const s of seconds) {
      instanceSeconds += s.instances;
      const slow = s.latencies.length > 0 && p95(s.latencies) > SLO_P95_MS;
      const failing = s.requests > 0 && s.errors / s.requests > SLO_ERROR_RATE;
      if (slow || failing) violations += 1;
    }
    /** Seconds from a phase's start until more instances are ready than at its start. */
    const toCapacity = (phase: number) => {
      const from = phaseStarts[phase];
      const before = seconds[from]?.ready ?? 0;
      const end = phaseStarts[phase + 1] ?? seconds.length;
      for (let t = from; t < end; t++) {
        if (seconds[t].ready > before) return t - from;
      }
      return null;
    };
    return {
      sloViolationSeconds: violations,
      sloViolationMinutes: violationMinutes,
      instanceSeconds,
      decisions: decisions.length,
      secondsFromStepToAddedReadyCapacity: toCapacity(1),
      secondsFromSpikeToAddedReadyCapacity: toCapacity(2),
      decisionLog: decisions,
      requests: seconds.reduce((sum, s) => sum + s.requests, 0),
      errors: seconds.reduce((sum, s) => sum + s.errors, 0),
      perSecond: seconds.map(s => ({
        requests: s.requests,
        errors: s.errors,
        p95Ms: s.latencies.length ? round(p95(s.latencies)) : null,
        ready: s.ready,
        instances: s.instances,
      })),
    };
  }

  /** The simulator on the same trace, with the cold start measured here. */
  function predict(coldStartSeconds: number, fixed: number | undefined) {
    const requestsPerSecond = new Float64Array(
      PHASES.flatMap(p => Array<number>(p.seconds).fill(p.rps)),
    );
    const config = {
      ...simulationConfig(Math.max(1, Math.round(coldStartSeconds)), 1),
      minInstances: 1,
      maxInstances: FIXED_INSTANCES,
      sloP95Seconds: SLO_P95_MS / 1000,
      sloErrorRate: SLO_ERROR_RATE,
    };
    const result = simulate(
      {
        name: 'live-step-spike',
        source: 'synthetic',
        spike: true,
        requestsPerSecond,
      },
      fixed === undefined
        ? new CodeRunnerEngine(config)
        : new FixedCapacity(fixed),
      config,
      fixed ?? 1,
    );
    return {
      sloViolationMinutes: result.violationMinutes,
      instanceSeconds: round(result.instanceMinutes * 60),
      decisions: result.actions,
    };
  }

  const loadBefore = os.loadavg();
  const arms = [];
  // Fixed count: the policy's maximum, all the time, and no controller.
  {
    const { deployment, coldStartSeconds } = await deploy(
      'fixed',
      FIXED_INSTANCES,
    );
    console.log(`fixed: ${FIXED_INSTANCES} instances ready; replaying`);
    const run = await replay('fixed', deployment.id, false);
    arms.push({
      arm: `fixed at ${FIXED_INSTANCES} instances`,
      live: summarise(run, []),
      simulator: predict(coldStartSeconds, FIXED_INSTANCES),
      deployToReadySeconds: round(coldStartSeconds),
    });
    await store.updateDeployment(deployment.id, { desiredState: 'stopped' });
    reconciler.trigger(deployment.id);
  }
  // Our policy: the manifest's scaling section (web-app, 1 to 3), the real controller.
  {
    const { deployment, coldStartSeconds } = await deploy('policy', 1);
    console.log('policy: 1 instance ready; replaying');
    const run = await replay('policy', deployment.id, true);
    const decisions = (
      await scalingStore.listDecisions(deployment.id, { limit: 1000 })
    )
      .filter(d => d.direction !== 'none')
      .reverse()
      .map(d => ({
        at: round((new Date(d.at).getTime() - run.startedAt) / 1000),
        from: d.from,
        to: d.to,
        explanation: d.explanation,
      }));
    arms.push({
      arm: 'policy (manifest web-app template, 1 to 3)',
      live: summarise(run, decisions),
      simulator: predict(coldStartSeconds, undefined),
      deployToReadySeconds: round(coldStartSeconds),
    });
  }
  const loadAfter = os.loadavg();

  const report = {
    benchmark: 'autoscaling-live',
    date: new Date().toISOString(),
    commit: headCommit(),
    machine: machine({
      database: 'sqlite (better-sqlite3, temporary file)',
      runtime: `agentsphere-emulator (isolation: ${emulator.isolation})`,
      loadAverage: { before: loadBefore, after: loadAfter },
    }),
    setup: {
      example:
        'examples/hello-node through the CodeRunner gateway on 127.0.0.1',
      loadGenerator: 'autocannon 9 (overallRate per phase, 64 connections)',
      trace: PHASES,
      requestPath: WORK_PATH,
      slo: `p95 latency of each second at most ${SLO_P95_MS} ms and at most ${
        SLO_ERROR_RATE * 100
      } % 5xx or connection errors`,
      policyArm: `ScalingController, GatewayMetricsFlusher and SandboxUsagePoller every ${PERIOD_S} s`,
      simulator:
        'bench/autoscaling simulate() on the same per-second trace, with its own instance model (100 requests/s per instance), the cold start measured here and the same bounds; it reports violation minutes, not seconds',
    },
    results: arms,
  };
  const out = path.join(REPO, 'bench/results/autoscaling-live.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  for (const arm of arms) {
    const { perSecond, ...live } = arm.live;
    console.log(
      JSON.stringify({ arm: arm.arm, live, simulator: arm.simulator }),
    );
  }
  console.log(`wrote ${path.relative(process.cwd(), out)}`);

  await backend.stop();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
