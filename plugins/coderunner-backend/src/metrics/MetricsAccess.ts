import { HttpAuthService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { AuthenticationError } from '@backstage/errors';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Request } from 'express';

/**
 * Who may scrape `/metrics` (app-config `coderunner.metrics.auth`):
 * - `backstage`: a Backstage service credential, e.g. a static token from
 *   `backend.auth.externalAccess`; user tokens are refused.
 * - `token`: `Authorization: Bearer <coderunner.metrics.token>`.
 * - `unauthenticated`: anyone who reaches the backend; only on a private network.
 *
 * @internal
 */
export type MetricsAuthMode = 'backstage' | 'token' | 'unauthenticated';

const MODES: MetricsAuthMode[] = ['backstage', 'token', 'unauthenticated'];
const MIN_TOKEN_LENGTH = 16;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Decides who may read the Prometheus endpoint. The default is `token` when a token is
 * configured and `backstage` otherwise: the endpoint names every deployment and its traffic,
 * so it is never open unless an installer says so.
 *
 * @internal
 */
export class MetricsAccess {
  static fromConfig(
    config: Config,
    options: { httpAuth: HttpAuthService },
  ): MetricsAccess {
    const token = config.getOptionalString('coderunner.metrics.token');
    const configured = config.getOptionalString('coderunner.metrics.auth');
    if (
      configured !== undefined &&
      !MODES.includes(configured as MetricsAuthMode)
    ) {
      throw new Error(
        `coderunner.metrics.auth must be one of ${MODES.join(
          ', ',
        )}; got '${configured}'`,
      );
    }
    const mode =
      (configured as MetricsAuthMode | undefined) ??
      (token ? 'token' : 'backstage');
    if (mode === 'token' && (!token || token.length < MIN_TOKEN_LENGTH)) {
      throw new Error(
        `coderunner.metrics.auth is 'token': set coderunner.metrics.token to a secret of at least ${MIN_TOKEN_LENGTH} characters`,
      );
    }
    return new MetricsAccess(
      mode,
      mode === 'token' ? digest(token!) : undefined,
      options.httpAuth,
    );
  }

  private constructor(
    readonly mode: MetricsAuthMode,
    private readonly tokenDigest: Buffer | undefined,
    private readonly httpAuth: HttpAuthService,
  ) {}

  /** Whether Backstage's own credentials check must step aside for the endpoint. */
  get bypassesBackstageAuth(): boolean {
    return this.mode !== 'backstage';
  }

  /** Throws unless the request may read the metrics. */
  async check(req: Request): Promise<void> {
    if (this.mode === 'unauthenticated') return;
    if (this.mode === 'backstage') {
      await this.httpAuth.credentials(req, { allow: ['service'] });
      return;
    }
    const offered = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    // Digests have equal lengths, so the comparison takes the same time whatever was offered.
    if (!offered || !timingSafeEqual(digest(offered), this.tokenDigest!)) {
      throw new AuthenticationError(
        'Scraping CodeRunner metrics needs Authorization: Bearer <coderunner.metrics.token>',
      );
    }
  }
}
