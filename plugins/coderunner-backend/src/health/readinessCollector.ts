import { Gauge, Registry } from 'prom-client';
import { ReadinessCheck } from './ReadinessCheck';

/**
 * Exports the readiness check on the metrics endpoint, one series per component, so that an
 * alert can name the part that keeps a replica from being ready. A scrape shares a run with
 * any `/health` request in flight.
 *
 * @internal
 */
export function registerReadinessCollector(
  registry: Registry,
  readiness: ReadinessCheck,
): void {
  registry.registerMetric(
    new Gauge({
      name: 'coderunner_backend_component_ready',
      help: '1 while a part of this backend replica passes its readiness check (as /health reports), 0 while it fails.',
      labelNames: ['component'],
      registers: [],
      async collect() {
        const report = await readiness.run();
        for (const [component, health] of Object.entries(report.components)) {
          this.set({ component }, health.status === 'ok' ? 1 : 0);
        }
      },
    }),
  );
}
