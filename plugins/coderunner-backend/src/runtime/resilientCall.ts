import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentSphereError } from './AgentSphereError';
import { CallStatistics } from './CallStatistics';
import { CircuitBreaker } from './CircuitBreaker';

/**
 * How often and how patiently calls are retried.
 *
 * @public
 */
export interface RetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Delay before the first retry; it doubles per retry, with jitter. */
  initialDelayMs: number;
  maxDelayMs: number;
}

/** What a failed call was about, for the message. */
export interface CallContext {
  sandboxId?: string;
  template?: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function causeCode(error: any): string | undefined {
  return error?.cause?.code ?? error?.code;
}

/** The SDK's error classes that the status they stand for decides about. */
const SDK_ERROR_STATUS: Record<string, number> = {
  RateLimitError: 429,
  AuthenticationError: 401,
};

/**
 * The HTTP status behind an SDK error. The SDK keeps no status field: it throws a class per
 * status for some, and `SandboxError("<status>: <message>")` for the rest (see AGENTSPHERE.md),
 * so this is the one place that reads a status out of a message; from here on it travels as
 * `AgentSphereError.status`.
 */
function sdkStatusOf(name: string, message: string): number | undefined {
  const fromMessage = /^(\d{3}):/.exec(message)?.[1];
  return fromMessage ? Number(fromMessage) : SDK_ERROR_STATUS[name];
}

/** Turns whatever the SDK threw into an AgentSphereError with a message for people. */
export function translateError(
  error: unknown,
  context: CallContext,
): AgentSphereError {
  if (error instanceof AgentSphereError) {
    return error;
  }
  const err = error as any;
  const name: string = err?.name ?? '';
  const message: string = String(err?.message ?? err);
  const status = sdkStatusOf(name, message);
  const what = context.sandboxId
    ? `sandbox ${context.sandboxId}`
    : 'the sandbox';

  if (status === 429) {
    return new AgentSphereError(
      'unavailable',
      'AgentSphere is rate-limiting requests',
      { cause: error, status },
    );
  }
  if (status === 401 || status === 403) {
    return new AgentSphereError(
      'unauthorized',
      'AgentSphere rejected the API key; check coderunner.agentsphere.apiKey',
      { cause: error, status },
    );
  }
  if (status === 404 && context.template) {
    return new AgentSphereError(
      'not-found',
      `AgentSphere template '${context.template}' does not exist`,
      { cause: error, status },
    );
  }
  if (status === 404 || name === 'NotFoundError') {
    return new AgentSphereError(
      'not-found',
      `${what} does not exist any more (it may have reached its end time): ${message}`,
      { cause: error, status: 404 },
    );
  }
  if (status !== undefined && status >= 500 && status < 600) {
    return new AgentSphereError(
      'unavailable',
      `AgentSphere answered ${message}`,
      { cause: error, status },
    );
  }
  if (name === 'TimeoutError' && message.includes('[deadline_exceeded]')) {
    return new AgentSphereError(
      'timeout',
      'the command did not finish in time and was killed',
      { cause: error },
    );
  }
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    /\[(unavailable|unknown|internal|resource_exhausted|canceled)\]/.test(
      message,
    )
  ) {
    return new AgentSphereError(
      'unavailable',
      `AgentSphere did not answer: ${message}`,
      { cause: error },
    );
  }
  const code = causeCode(error);
  if ((code && NETWORK_CODES.has(code)) || message === 'fetch failed') {
    return new AgentSphereError(
      'unavailable',
      `AgentSphere cannot be reached: ${code ?? message}`,
      { cause: error },
    );
  }
  return new AgentSphereError('failed', `AgentSphere: ${message}`, {
    cause: error,
    status,
  });
}

function formatSeconds(ms: number): string {
  return ms < 1000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.round(ms / 1000)} s`;
}

/** Rejects with a timeout error when `promise` has not settled within `ms`. */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  description: string,
): Promise<T> {
  if (!(ms > 0)) {
    return promise;
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AgentSphereError(
            'timeout',
            `AgentSphere did not answer ${description} within ${formatSeconds(
              ms,
            )}`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Runs calls to AgentSphere with a per-attempt deadline, retries with
 * exponential backoff and jitter on transient failures (429, 5xx, network,
 * timeouts), and a circuit breaker across all calls.
 */
export class ResilientCaller {
  constructor(
    private readonly options: {
      retry: RetryPolicy;
      breaker: CircuitBreaker;
      callTimeoutMs: number;
      logger: LoggerService;
      random?: () => number;
      /** Counts every attempt and its outcome, for the metrics endpoint. */
      statistics?: CallStatistics;
    },
  ) {}

  async call<T>(
    description: string,
    attempt: () => Promise<T>,
    context: CallContext = {},
    options: { retry?: boolean } = {},
  ): Promise<T> {
    const { retry, breaker, callTimeoutMs, logger, statistics } = this.options;
    const maxAttempts =
      options.retry === false ? 1 : Math.max(1, retry.maxAttempts);
    let lastError: AgentSphereError | undefined;
    for (let attemptNumber = 1; attemptNumber <= maxAttempts; attemptNumber++) {
      try {
        breaker.enter();
      } catch (error) {
        statistics?.record('circuit-open');
        throw error;
      }
      const started = performance.now();
      try {
        const result = await withDeadline(
          attempt(),
          callTimeoutMs,
          description,
        );
        breaker.succeeded();
        statistics?.record('ok', (performance.now() - started) / 1000);
        return result;
      } catch (error) {
        const translated = translateError(error, context);
        statistics?.record(
          translated.kind,
          (performance.now() - started) / 1000,
        );
        if (
          translated.kind !== 'unavailable' &&
          translated.kind !== 'timeout'
        ) {
          // AgentSphere answered; the service itself is fine.
          breaker.succeeded();
          throw translated;
        }
        breaker.failed();
        lastError = translated;
        if (attemptNumber === maxAttempts) {
          break;
        }
        const delay = this.backoff(attemptNumber);
        logger.warn(
          `${
            translated.rateLimited
              ? 'AgentSphere is rate-limiting requests'
              : 'AgentSphere is not answering'
          }; retrying in ${formatSeconds(
            delay,
          )} (${description}, attempt ${attemptNumber} of ${maxAttempts}: ${
            translated.message
          })`,
        );
        await new Promise(resolve => setTimeout(resolve, delay));
      }
    }
    throw new AgentSphereError(
      lastError!.kind,
      `${lastError!.message} (${description}, ${maxAttempts} attempt${
        maxAttempts === 1 ? '' : 's'
      })`,
      { cause: lastError, status: lastError!.status },
    );
  }

  private backoff(attemptNumber: number): number {
    const { initialDelayMs, maxDelayMs } = this.options.retry;
    const exponential = Math.min(
      maxDelayMs,
      initialDelayMs * 2 ** (attemptNumber - 1),
    );
    const random = this.options.random ?? Math.random;
    // Equal jitter: at least half the delay, so retries still back off.
    return Math.round(exponential / 2 + random() * (exponential / 2));
  }
}
