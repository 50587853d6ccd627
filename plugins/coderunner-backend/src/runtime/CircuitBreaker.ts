import { AgentSphereError } from './AgentSphereError';

/**
 * Stops calling a failing service for a while: after `failureThreshold`
 * transient failures in a row it opens and rejects calls at once; after
 * `resetAfterMs` it lets one trial call through, and closes again when that
 * call succeeds.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(
    private readonly options: {
      failureThreshold: number;
      resetAfterMs: number;
      now?: () => number;
    },
  ) {}

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.openedAt === undefined) {
      return 'closed';
    }
    return this.now() - this.openedAt >= this.options.resetAfterMs
      ? 'half-open'
      : 'open';
  }

  /** Throws when the circuit is open; otherwise the caller may proceed. */
  enter(): void {
    const state = this.state;
    if (state === 'closed') {
      return;
    }
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return;
    }
    const waitSeconds = Math.max(
      1,
      Math.ceil(
        (this.openedAt! + this.options.resetAfterMs - this.now()) / 1000,
      ),
    );
    throw new AgentSphereError(
      'circuit-open',
      `AgentSphere failed ${this.options.failureThreshold} times in a row; not calling it for the next ${waitSeconds} s`,
    );
  }

  succeeded(): void {
    this.consecutiveFailures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  failed(): void {
    this.consecutiveFailures += 1;
    if (
      this.trialInFlight ||
      this.consecutiveFailures >= this.options.failureThreshold
    ) {
      this.openedAt = this.now();
    }
    this.trialInFlight = false;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
