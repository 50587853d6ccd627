import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { MetricsReader } from './types';

/**
 * Lets a backend module replace where CodeRunner reads deployments' metrics from.
 *
 * @public
 */
export interface CoderunnerMetricsExtensionPoint {
  /**
   * Sets the reader: metric queries (the metrics API and what reads it) are answered by it
   * instead of CodeRunner's own store, which keeps being filled. Only one module may set it.
   * `name` is shown in the backend log.
   */
  setMetricsReader(reader: MetricsReader, options: { name: string }): void;
}

/**
 * Extension point for replacing the CodeRunner metric source.
 *
 * @public
 */
export const coderunnerMetricsExtensionPoint =
  createExtensionPoint<CoderunnerMetricsExtensionPoint>({
    id: 'coderunner.metrics',
  });
