import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError, SandboxError } from 'agentsphere-sandbox-base';
import { AgentSphereError } from './AgentSphereError';
import { CircuitBreaker } from './CircuitBreaker';
import { ResilientCaller, translateError } from './resilientCall';

describe('translateError', () => {
  it('carries the status AgentSphere answered as a field, read once from the SDK error', () => {
    const rateLimited = translateError(
      new SandboxError('429: slow down: The requests are being rate limited.'),
      {},
    );
    expect(rateLimited).toBeInstanceOf(AgentSphereError);
    expect(rateLimited).toMatchObject({ kind: 'unavailable', status: 429 });
    expect(rateLimited.rateLimited).toBe(true);

    const down = translateError(new SandboxError('503: upstream down'), {});
    expect(down).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(down.rateLimited).toBe(false);

    const gone = translateError(new NotFoundError('sandbox sb-1 not found'), {
      sandboxId: 'sb-1',
    });
    expect(gone).toMatchObject({ kind: 'not-found', status: 404 });

    const refused = translateError(new SandboxError('403: forbidden'), {});
    expect(refused).toMatchObject({ kind: 'unauthorized', status: 403 });
  });

  it('has no status for a failure AgentSphere never answered', () => {
    const error = translateError(
      Object.assign(new Error('connect ECONNREFUSED'), {
        code: 'ECONNREFUSED',
      }),
      {},
    );
    expect(error.kind).toBe('unavailable');
    expect(error.status).toBeUndefined();
    expect(error.rateLimited).toBe(false);
  });
});

describe('ResilientCaller', () => {
  const caller = (logger = mockServices.logger.mock()) =>
    new ResilientCaller({
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
      breaker: new CircuitBreaker({
        failureThreshold: 50,
        resetAfterMs: 60_000,
      }),
      callTimeoutMs: 0,
      logger,
    });

  it('retries a 429 saying AgentSphere is rate-limiting, and the final error keeps the status', async () => {
    const logger = mockServices.logger.mock();
    const error = await caller(logger)
      .call('create sandbox', async () => {
        throw new SandboxError('429: too many sandboxes created');
      })
      .catch(e => e);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^AgentSphere is rate-limiting requests; retrying/),
    );
    // The error after the last attempt keeps the status, for whoever acts on it.
    expect(error).toBeInstanceOf(AgentSphereError);
    expect(error).toMatchObject({ kind: 'unavailable', status: 429 });
    expect(error.message).toMatch(/\(create sandbox, 2 attempts\)$/);
  });

  it('says "not answering" for a 5xx', async () => {
    const logger = mockServices.logger.mock();
    const error = await caller(logger)
      .call('list sandboxes', async () => {
        throw new SandboxError('502: bad gateway');
      })
      .catch(e => e);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^AgentSphere is not answering; retrying/),
    );
    expect(error).toMatchObject({ status: 502, rateLimited: false });
  });
});
