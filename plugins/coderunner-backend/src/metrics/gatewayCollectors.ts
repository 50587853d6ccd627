import { Registry } from 'prom-client';
import {
  DeploymentRequestSeries,
  RequestCounters,
  RequestMetrics,
} from '../gateway/RequestMetrics';
import {
  histogramSamples,
  registerPrecountedMetric,
  Sample,
} from './precountedMetric';

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

const labelsOf = (series: DeploymentRequestSeries) => ({
  entity: series.entityRef,
  environment: series.environment,
});

function eachSeries(
  requests: RequestMetrics,
  sample: (series: DeploymentRequestSeries, into: Sample[]) => void,
): () => Sample[] {
  return () => {
    const values: Sample[] = [];
    for (const series of requests.all()) sample(series, values);
    return values;
  };
}

const perDeployment = (
  requests: RequestMetrics,
  read: (counters: RequestCounters) => number,
) =>
  eachSeries(requests, (series, into) => {
    into.push({ value: read(series.counters), labels: labelsOf(series) });
  });

/**
 * Registers the gateway's RED metrics, read from its counters at scrape time and labelled by
 * entity ref and environment only (bounded by the catalog; never a path or other client input).
 *
 * @internal
 */
export function registerGatewayCollectors(
  registry: Registry,
  requests: RequestMetrics,
): void {
  registerPrecountedMetric(registry, {
    name: 'coderunner_gateway_requests_total',
    help: 'Requests the gateway answered for a deployment, by status class (code="5xx").',
    type: 'counter',
    values: eachSeries(requests, (series, into) => {
      STATUS_CLASSES.forEach((code, i) =>
        into.push({
          value: series.counters.byStatusClass[i],
          labels: { ...labelsOf(series), code },
        }),
      );
    }),
  });

  const duration = 'coderunner_gateway_request_duration_seconds';
  registerPrecountedMetric(registry, {
    name: duration,
    help: 'Time from a request reaching the gateway to the end of its answer.',
    type: 'histogram',
    values: eachSeries(requests, (series, into) =>
      histogramSamples(
        duration,
        series.counters.latency,
        labelsOf(series),
        into,
      ),
    ),
  });

  registerPrecountedMetric(registry, {
    name: 'coderunner_gateway_connection_errors_total',
    help: 'Attempts to reach an instance that failed to connect or broke off the answer.',
    type: 'counter',
    values: perDeployment(requests, counters => counters.connectionErrors),
  });

  // Per instance, only totals: an instance's series goes with it, and a histogram per instance
  // would multiply the series by the instances' churn.
  const perInstance = (read: (counters: RequestCounters) => number) =>
    eachSeries(requests, (series, into) => {
      for (const [instanceId, counters] of series.instances) {
        into.push({
          value: read(counters),
          labels: { ...labelsOf(series), instance_id: instanceId },
        });
      }
    });
  registerPrecountedMetric(registry, {
    name: 'coderunner_gateway_instance_requests_total',
    help: 'Attempts the gateway sent to an instance that it answered (retries count on the instance that got them).',
    type: 'counter',
    values: perInstance(counters => counters.requests),
  });
  registerPrecountedMetric(registry, {
    name: 'coderunner_gateway_instance_connection_errors_total',
    help: 'Attempts to reach an instance that failed to connect or broke off the answer.',
    type: 'counter',
    values: perInstance(counters => counters.connectionErrors),
  });

  registerPrecountedMetric(registry, {
    name: 'coderunner_gateway_requests_in_flight',
    help: 'Requests the gateway is forwarding to a deployment right now.',
    type: 'gauge',
    values: perDeployment(requests, counters => counters.inFlight),
  });
}
