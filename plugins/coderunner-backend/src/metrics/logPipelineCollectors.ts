import { Registry } from 'prom-client';
import { BucketedHistogram } from './BucketedHistogram';
import {
  histogramSamples,
  registerPrecountedMetric,
  Sample,
} from './precountedMetric';

/** Seconds: a writer at rest commits within milliseconds; a slow database shows in the tail. */
const WRITE_LAG_BOUNDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * What the log pipeline of this replica measures for Prometheus: the log writers' lag,
 * observed from their `onWritten` hook, and the live stream's sockets and subscriptions.
 *
 * @internal
 */
export class LogPipelineMetrics {
  /** Per committed batch: from the arrival of its oldest line to its commit. */
  readonly writeLag = new BucketedHistogram(WRITE_LAG_BOUNDS);

  /** The live stream server, set once it exists (it is created after the log writers' hook). */
  stream?: { connectionCount: number; subscriptionCount: number };

  register(registry: Registry): void {
    registerPrecountedMetric(registry, {
      name: 'coderunner_log_stream_connections',
      help: 'Live log WebSockets open on this backend replica.',
      type: 'gauge',
      values: () => [{ value: this.stream?.connectionCount ?? 0, labels: {} }],
    });
    registerPrecountedMetric(registry, {
      name: 'coderunner_log_stream_subscriptions',
      help: 'Log and status subscriptions over the live log WebSockets of this backend replica.',
      type: 'gauge',
      values: () => [
        { value: this.stream?.subscriptionCount ?? 0, labels: {} },
      ],
    });
    const lag = 'coderunner_log_write_lag_seconds';
    registerPrecountedMetric(registry, {
      name: lag,
      help: 'Per batch of log lines stored by this replica: time from the arrival of its oldest line to its commit.',
      type: 'histogram',
      values: () => {
        const samples: Sample[] = [];
        histogramSamples(lag, this.writeLag, {}, samples);
        return samples;
      },
    });
  }
}
