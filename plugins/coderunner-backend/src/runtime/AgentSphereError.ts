/**
 * Why an AgentSphere call failed, for callers that act on it.
 *
 * - `not-configured`: no API key is configured.
 * - `unauthorized`: AgentSphere rejected the API key.
 * - `not-found`: the sandbox, template or process does not exist.
 * - `unavailable`: AgentSphere did not answer, answered 5xx or rate-limited us, even after retries.
 * - `circuit-open`: recent calls failed so often that calls are paused.
 * - `timeout`: a call or command did not finish in time.
 * - `failed`: anything else AgentSphere reported.
 *
 * @public
 */
export type AgentSphereErrorKind =
  | 'not-configured'
  | 'unauthorized'
  | 'not-found'
  | 'unavailable'
  | 'circuit-open'
  | 'timeout'
  | 'failed';

/**
 * An AgentSphere failure with a message meant for the user.
 *
 * @public
 */
export class AgentSphereError extends Error {
  /** The HTTP status AgentSphere answered, when it answered one (429, 404, 503 …). */
  readonly status?: number;

  constructor(
    readonly kind: AgentSphereErrorKind,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.name = 'AgentSphereError';
    this.status = options?.status;
  }

  /** Whether AgentSphere refused the call because we called too often (429). */
  get rateLimited(): boolean {
    return this.status === 429;
  }

  /** Whether trying again later may succeed. */
  get transient(): boolean {
    return (
      this.kind === 'unavailable' ||
      this.kind === 'circuit-open' ||
      this.kind === 'timeout'
    );
  }
}
