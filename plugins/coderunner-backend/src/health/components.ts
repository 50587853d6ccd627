import { SandboxRuntime } from '@coderunner/plugin-coderunner-node';
import { Knex } from 'knex';
import { LogHub } from '../logs/LogHub';
import { SandboxUsagePoller } from '../metrics/SandboxUsagePoller';
import { Reconciler } from '../orchestrator/Reconciler';
import { AgentSphereRuntime } from '../runtime';
import { ComponentHealth, errorCode, HealthComponent } from './ReadinessCheck';

const ok = (detail: string): ComponentHealth => ({ status: 'ok', detail });
const failing = (detail: string): ComponentHealth => ({
  status: 'failing',
  detail,
});
const ago = (at: number, now: number) =>
  `${Math.max(0, Math.round((now - at) / 1000))} s ago`;

/** The plugin's database answers a trivial query. */
export function databaseHealth(knex: Knex): HealthComponent {
  return {
    name: 'database',
    async check() {
      const started = Date.now();
      try {
        await knex.raw('select 1');
      } catch (error) {
        return failing(`select 1 failed (${errorCode(error)})`);
      }
      return ok(`select 1 answered in ${Date.now() - started} ms`);
    },
  };
}

/**
 * AgentSphere as the calls this backend makes see it (it adds no calls of its own): failing
 * while the circuit breaker pauses calls, or when the last call was refused for the API key.
 */
export function agentSphereHealth(
  runtime: SandboxRuntime,
  runtimeName: string,
): HealthComponent {
  return {
    name: 'agentsphere',
    check() {
      if (!(runtime instanceof AgentSphereRuntime)) {
        return ok(
          `the runtime ${runtimeName} comes from a module and is not checked here`,
        );
      }
      const last = runtime.calls.lastAttempt;
      const lastCall = last
        ? `last call ${last.outcome} ${ago(last.at.getTime(), Date.now())}`
        : 'no call yet';
      const circuit = runtime.circuitState;
      if (circuit !== 'closed') {
        return failing(
          `circuit breaker ${circuit}: calls are paused after repeated failures; ${lastCall}`,
        );
      }
      if (
        last?.outcome === 'unauthorized' ||
        last?.outcome === 'not-configured'
      ) {
        return failing(`${lastCall}: check coderunner.agentsphere.apiKey`);
      }
      return ok(`circuit breaker closed; ${lastCall}`);
    },
  };
}

/** The log hub runs, and on PostgreSQL its LISTEN connection for news from other replicas is up. */
export function logPipelineHealth(logHub: LogHub): HealthComponent {
  return {
    name: 'logPipeline',
    check() {
      const { running, connected } = logHub.state;
      if (!running) return failing('the log hub is not running');
      if (connected === false) {
        return failing(
          'the PostgreSQL LISTEN connection for live logs is down; reconnecting',
        );
      }
      return ok(
        connected
          ? 'running; live logs reach the other replicas through PostgreSQL NOTIFY'
          : 'running in this process',
      );
    },
  };
}

/** The reconcile loop ticks, and the deployments' leases can be renewed in the database. */
export function reconcilerHealth(reconciler: Reconciler): HealthComponent {
  return {
    name: 'reconciler',
    check() {
      const beat = reconciler.heartbeat;
      const now = Date.now();
      if (beat.startedAt === undefined) return failing('not started yet');
      if (beat.stoppedAt !== undefined) return failing('stopped');
      if ((beat.tickFailedAt ?? 0) > (beat.tickedAt ?? 0)) {
        return failing(
          `the last tick could not list the deployments (${ago(
            beat.tickFailedAt!,
            now,
          )})`,
        );
      }
      const since = beat.tickedAt ?? beat.startedAt;
      if (now - since > 5 * beat.tickMs)
        return failing(`no tick since ${ago(since, now)}`);
      if ((beat.leaseFailedAt ?? 0) > (beat.leaseRenewedAt ?? 0)) {
        return failing(
          `the last lease renewal failed (${ago(beat.leaseFailedAt!, now)})`,
        );
      }
      const leases =
        beat.leaseRenewedAt === undefined
          ? 'no lease taken yet'
          : `a lease renewed ${ago(beat.leaseRenewedAt, now)}`;
      return ok(`last tick ${ago(since, now)}; ${leases}`);
    },
  };
}

/**
 * The sandbox usage poll. It runs on one replica at a time (a global task), so a replica that
 * has not polled lately is fine unless its own last poll failed or has hung.
 */
export function metricsPollerHealth(
  poller: SandboxUsagePoller,
  intervalMs: number,
): HealthComponent {
  return {
    name: 'metricsPoller',
    check() {
      const { startedAt, succeededAt, failedAt } = poller.record;
      const now = Date.now();
      const every = `every ${intervalMs / 1000} s`;
      if (startedAt === undefined)
        return ok(
          `not run on this replica yet (${every}, one replica at a time)`,
        );
      const finished = Math.max(succeededAt ?? 0, failedAt ?? 0);
      if (finished < startedAt && now - startedAt > 3 * intervalMs) {
        return failing(
          `a poll started ${ago(startedAt, now)} has not finished (${every})`,
        );
      }
      if ((failedAt ?? 0) > (succeededAt ?? 0))
        return failing(
          `the last poll failed ${ago(failedAt!, now)} (${every})`,
        );
      if (succeededAt !== undefined && now - succeededAt <= 3 * intervalMs) {
        return ok(`last poll ${ago(succeededAt, now)} (${every})`);
      }
      return ok(
        `polled by another replica lately (${every}, one replica at a time)`,
      );
    },
  };
}
