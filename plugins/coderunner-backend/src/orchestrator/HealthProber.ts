import { isError } from '@backstage/errors';

/** A health check that has not answered within this long has failed. */
const PROBE_TIMEOUT_MS = 2000;

/**
 * One GET of an instance's health URL. `problem` is absent when it answered below 400 (a
 * redirect is not followed: it counts as an answer, as the manifest docs say); otherwise it
 * says what went wrong in words fit for the deployment's logs (a status, "no answer within 2 s",
 * a refused connection), never the instance's URL.
 */
export async function probeHealth(
  url: string,
): Promise<{ status?: number; problem?: string }> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      redirect: 'manual',
    });
    await response.body?.cancel();
    return response.status < 400
      ? { status: response.status }
      : { status: response.status, problem: String(response.status) };
  } catch (error) {
    if (isError(error) && error.name === 'TimeoutError') {
      return { problem: `no answer within ${PROBE_TIMEOUT_MS / 1000} s` };
    }
    const code = isError(error)
      ? (error.cause as { code?: string })?.code
      : undefined;
    return {
      problem: code ?? (isError(error) ? error.message : String(error)),
    };
  }
}

/**
 * An instance's health URL: the manifest's path appended to the instance's origin. Never
 * resolved against it, which would turn a path such as `//10.0.0.1/` into another host and let
 * a manifest point the backend's checks anywhere.
 */
export function instanceHealthUrl(portUrl: string, path: string): string {
  return `${new URL(portUrl).origin}${
    path.startsWith('/') ? path : `/${path}`
  }`;
}

/** What a ready instance is probed on, and how patiently. */
export interface LivenessTarget {
  instanceId: string;
  url: string;
  /** The health path, for the reason. */
  path: string;
  intervalMs: number;
  failureThreshold: number;
  /** Before the first probe; `intervalMs` by default. */
  firstProbeAfterMs?: number;
}

/**
 * Probes a ready instance's health path every `intervalMs` (like a Kubernetes liveness probe)
 * until stopped. After `failureThreshold` failed probes in a row it stops and calls `onFailed`
 * once with the reason. Probes never overlap: the next is timed from the end of the last.
 */
export function watchLiveness(
  target: LivenessTarget,
  onFailed: (reason: string) => void,
): { stop(): void } {
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  async function probe() {
    const { problem } = await probeHealth(target.url);
    if (stopped) return;
    failures = problem ? failures + 1 : 0;
    if (problem && failures >= target.failureThreshold) {
      stopped = true;
      const id = target.instanceId.slice(0, 8);
      onFailed(
        `Instance ${id} failed ${failures} health checks in a row (GET ${target.path}: ${problem}); replacing it`,
      );
      return;
    }
    schedule();
  }
  function schedule(delayMs = target.intervalMs) {
    timer = setTimeout(() => void probe(), delayMs);
    timer.unref();
  }
  schedule(target.firstProbeAfterMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
