import { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Starts a deployment that is scaled to zero; the scaling capability provides it.
 *
 * @internal
 */
export interface DeploymentWaker {
  /** Raises the deployment's desired instance count to at least one; resolves once recorded. */
  wake(deploymentId: string): Promise<void>;
}

/**
 * What became of a held request: an instance is ready (or the route is gone: forward and let
 * the gateway say so), the wait timed out, too many requests wait already, the wake failed, or
 * the client went away.
 *
 * @internal
 */
export type HoldOutcome = 'ready' | 'timeout' | 'full' | 'failed' | 'gone';

type Wake = { failed: boolean; expires: NodeJS.Timeout };

/**
 * Holds requests to a deployment scaled to zero while it starts: the first one asks the waker
 * for an instance, and every held request goes on as soon as a route refresh shows one ready.
 * Held requests are bounded in number and in time, and a held request's body is not read, so a
 * client cannot make the gateway keep more than a socket's buffers for it. A refused or failed
 * wake is remembered for the wake timeout: the requests meanwhile are refused at once, and the
 * waker is not asked again until then.
 *
 * @internal
 */
export class WakeOnRequest {
  private held = 0;
  /** Deployments woken and not ready yet; a wake stops counting a timeout after its last request. */
  private readonly waking = new Map<string, Wake>();
  /** Held requests' checks, run after every route refresh. */
  private readonly waiters = new Set<() => void>();

  /** Starts deployments; while unset, no request is held. */
  waker?: DeploymentWaker;

  constructor(
    private readonly options: {
      timeoutMs: number;
      maxHeld: number;
      /** Re-reads the routes; called once a wake is recorded. */
      refresh: () => Promise<void>;
    },
    private readonly logger: LoggerService,
  ) {}

  /** Requests waiting for an instance right now. */
  get heldRequests(): number {
    return this.held;
  }

  /** How long a held request waits, in whole seconds. */
  get timeoutSeconds(): number {
    return Math.round(this.options.timeoutMs / 1000);
  }

  /**
   * Whether a request to a deployment with no ready instance waits for one: when it is scaled
   * to zero, or starting because of an earlier request.
   */
  holds(deploymentId: string, scaledToZero: boolean): boolean {
    return (
      this.waker !== undefined &&
      (scaledToZero || this.waking.has(deploymentId))
    );
  }

  /** After every route refresh: deployments now ready stop waking, held requests look again. */
  routesChanged(readyDeploymentIds: ReadonlySet<string>) {
    for (const [deploymentId, wake] of this.waking) {
      if (readyDeploymentIds.has(deploymentId)) {
        clearTimeout(wake.expires);
        this.waking.delete(deploymentId);
      }
    }
    for (const check of [...this.waiters]) check();
  }

  /**
   * Waits until `ready()` is true after a route refresh, waking the deployment first; resolves
   * early when the client goes away (`signal`).
   */
  async hold(
    deploymentId: string,
    ready: () => boolean,
    signal: AbortSignal,
  ): Promise<HoldOutcome> {
    if (ready()) return 'ready';
    if (this.waking.get(deploymentId)?.failed) return 'failed';
    // Even with no place left to wait, the deployment starts: a flood of requests to one app
    // costs another app's visitors a retry, never its wake.
    this.wake(deploymentId);
    if (this.held >= this.options.maxHeld) return 'full';
    this.held += 1;
    try {
      return await new Promise<HoldOutcome>(resolve => {
        const cleanups: Array<() => void> = [];
        const done = (outcome: HoldOutcome) => {
          for (const cleanup of cleanups.splice(0)) cleanup();
          resolve(outcome);
        };
        const check = () => {
          if (ready()) done('ready');
          else if (this.waking.get(deploymentId)?.failed) done('failed');
        };
        const gone = () => done('gone');
        const timer = setTimeout(() => done('timeout'), this.options.timeoutMs);
        cleanups.push(
          () => clearTimeout(timer),
          () => this.waiters.delete(check),
          () => signal.removeEventListener('abort', gone),
        );
        this.waiters.add(check);
        signal.addEventListener('abort', gone, { once: true });
        if (signal.aborted) gone();
      });
    } finally {
      this.held -= 1;
    }
  }

  /** Forgets every wake; held requests end with their clients' connections. */
  stop() {
    for (const wake of this.waking.values()) clearTimeout(wake.expires);
    this.waking.clear();
  }

  private wake(deploymentId: string) {
    const known = this.waking.get(deploymentId);
    const expire = () =>
      setTimeout(
        () => this.waking.delete(deploymentId),
        this.options.timeoutMs,
      ).unref();
    if (known) {
      // A refused wake is not asked again until it expires, however many requests come.
      if (known.failed) return;
      clearTimeout(known.expires);
      known.expires = expire();
      return;
    }
    const wake: Wake = { failed: false, expires: expire() };
    this.waking.set(deploymentId, wake);
    const waking = this.waker
      ? this.waker.wake(deploymentId)
      : Promise.reject(new Error('nothing can wake deployments'));
    waking.then(
      () => this.options.refresh(),
      error => {
        this.logger.warn(
          `Could not wake deployment ${deploymentId} for a request: ${error}`,
        );
        // Remembered until the wake's timeout: requests meanwhile are refused at once instead
        // of each asking again (a flood must not become a flood of wake attempts).
        wake.failed = true;
        for (const check of [...this.waiters]) check();
      },
    );
  }
}
