import { Gauge, Registry } from 'prom-client';
import { CallStatistics } from '../runtime/CallStatistics';
import {
  histogramSamples,
  registerPrecountedMetric,
  Sample,
} from './precountedMetric';

/**
 * What the metrics capability reads from the AgentSphere runtime.
 *
 * @internal
 */
export interface AgentSphereCalls {
  calls: CallStatistics;
  circuitState: 'closed' | 'open' | 'half-open';
}

/**
 * Registers AgentSphere call attempts by outcome, their latency and the circuit breaker's state.
 *
 * @internal
 */
export function registerAgentSphereCollectors(
  registry: Registry,
  agentSphere: AgentSphereCalls,
): void {
  registerPrecountedMetric(registry, {
    name: 'coderunner_agentsphere_calls_total',
    help: 'Attempts to call AgentSphere (each retry counts) by outcome: ok, unavailable, timeout, circuit-open, …',
    type: 'counter',
    values: () =>
      [...agentSphere.calls.attempts].map(([outcome, value]) => ({
        value,
        labels: { outcome },
      })),
  });
  const duration = 'coderunner_agentsphere_call_duration_seconds';
  registerPrecountedMetric(registry, {
    name: duration,
    help: 'How long attempts to call AgentSphere took, failed ones included.',
    type: 'histogram',
    values: () => {
      const samples: Sample[] = [];
      histogramSamples(duration, agentSphere.calls.duration, {}, samples);
      return samples;
    },
  });
  registry.registerMetric(
    new Gauge({
      name: 'coderunner_agentsphere_circuit_open',
      help: '1 while the circuit breaker pauses calls to AgentSphere (open, or half-open awaiting a trial call).',
      registers: [],
      collect() {
        this.set(agentSphere.circuitState === 'closed' ? 0 : 1);
      },
    }),
  );
}
