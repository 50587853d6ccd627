import { Registry } from 'prom-client';
import { RequestMetrics } from '../gateway/RequestMetrics';
import { registerGatewayCollectors } from './gatewayCollectors';

describe('gateway collectors', () => {
  it('export the gateway counters with cumulative buckets, labelled by entity and environment', async () => {
    const requests = new RequestMetrics();
    const series = requests.deployment({
      deploymentId: 'd1',
      entityRef: 'component:default/shop',
      environment: 'production',
    });
    series.counters.observe(200, 0.004);
    series.counters.observe(200, 0.2);
    series.counters.observe(503, 60);
    series.counters.connectionErrors = 2;
    requests.instance(series, 'i-1').observe(200, 0.004);
    requests.instance(series, 'i-1').connectionErrors = 2;
    series.counters.inFlight = 1;
    const registry = new Registry();
    registerGatewayCollectors(registry, requests);

    const text = await registry.metrics();
    const labels = 'entity="component:default/shop",environment="production"';
    for (const line of [
      '# TYPE coderunner_gateway_requests_total counter',
      `coderunner_gateway_requests_total{${labels},code="2xx"} 2`,
      `coderunner_gateway_requests_total{${labels},code="5xx"} 1`,
      `coderunner_gateway_requests_total{${labels},code="4xx"} 0`,
      '# TYPE coderunner_gateway_request_duration_seconds histogram',
      `coderunner_gateway_request_duration_seconds_bucket{${labels},le="0.005"} 1`,
      `coderunner_gateway_request_duration_seconds_bucket{${labels},le="0.1"} 1`,
      `coderunner_gateway_request_duration_seconds_bucket{${labels},le="0.25"} 2`,
      `coderunner_gateway_request_duration_seconds_bucket{${labels},le="30"} 2`,
      `coderunner_gateway_request_duration_seconds_bucket{${labels},le="+Inf"} 3`,
      `coderunner_gateway_request_duration_seconds_sum{${labels}} 60.204`,
      `coderunner_gateway_request_duration_seconds_count{${labels}} 3`,
      `coderunner_gateway_connection_errors_total{${labels}} 2`,
      '# TYPE coderunner_gateway_requests_in_flight gauge',
      `coderunner_gateway_requests_in_flight{${labels}} 1`,
      `coderunner_gateway_instance_requests_total{${labels},instance_id="i-1"} 1`,
      `coderunner_gateway_instance_connection_errors_total{${labels},instance_id="i-1"} 2`,
    ]) {
      expect(text.split('\n')).toContain(line);
    }
  });
});
