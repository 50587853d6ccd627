import { RequestHandler } from 'express';
import { Histogram, Registry } from 'prom-client';

const METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);

/**
 * Measures every REST call of the plugin, labelled by the route pattern that served it (from our
 * own route table, never the path a client sent) and the status class.
 *
 * @internal
 */
export function apiLatencyMiddleware(registry: Registry): RequestHandler {
  const histogram = new Histogram({
    name: 'coderunner_api_request_duration_seconds',
    help: 'Time the CodeRunner REST API took to answer, by route pattern and status class.',
    labelNames: ['method', 'route', 'code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const stop = histogram.startTimer();
    res.once('finish', () => {
      const route: string | undefined = req.route?.path;
      stop({
        method: METHODS.has(req.method) ? req.method : 'other',
        route: typeof route === 'string' ? route : 'unmatched',
        code: `${Math.floor(res.statusCode / 100)}xx`,
      });
    });
    next();
  };
}
