import { Knex } from 'knex';
import { Registry } from 'prom-client';
import { LogHub } from '../logs/LogHub';
import { SandboxUsagePoller } from '../metrics/SandboxUsagePoller';
import { Reconciler } from '../orchestrator/Reconciler';
import { SandboxRuntime } from '@coderunner/plugin-coderunner-node';
import {
  agentSphereHealth,
  databaseHealth,
  logPipelineHealth,
  metricsPollerHealth,
  reconcilerHealth,
} from './components';
import { ReadinessCheck } from './ReadinessCheck';
import { registerReadinessCollector } from './readinessCollector';

/**
 * Builds the Health capability: the readiness check `/health` runs (database, runtime, log
 * pipeline, reconciler, metrics poller), exported on the metrics endpoint too, and the
 * runtime's own check for the alert engine.
 *
 * @internal
 */
export function createHealthCapability(options: {
  knex: Knex;
  runtime: SandboxRuntime;
  runtimeName: string;
  logHub: LogHub;
  reconciler: Reconciler;
  metrics: {
    poller: SandboxUsagePoller;
    pollIntervalMs: number;
    registry: Registry;
  };
}) {
  const runtime = agentSphereHealth(options.runtime, options.runtimeName);
  const readiness = new ReadinessCheck([
    databaseHealth(options.knex),
    runtime,
    logPipelineHealth(options.logHub),
    reconcilerHealth(options.reconciler),
    metricsPollerHealth(options.metrics.poller, options.metrics.pollIntervalMs),
  ]);
  registerReadinessCollector(options.metrics.registry, readiness);
  return {
    readiness,
    /** The runtime's check and name, as the alert engine takes them. */
    runtimeCheck: {
      name: options.runtimeName,
      check: () => runtime.check(),
    },
  };
}
