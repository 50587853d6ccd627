import {
  AuthRequestOptions,
  BackstageIdentityApi,
  BackstageIdentityResponse,
  DiscoveryApi,
  ProfileInfo,
  ProfileInfoApi,
  SessionApi,
  SessionState,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';

type SessionStateObservable = ReturnType<SessionApi['sessionState$']>;
interface SessionStateObserver {
  next?(state: SessionState): void;
}

interface Session {
  profile: ProfileInfo;
  identity: BackstageIdentityResponse;
  /** When to fetch a new session: a while before the token expires. */
  refreshAt: number;
}

/** The auth backend issues tokens for an hour; without an expiry, refresh after five minutes. */
const DEFAULT_LIFETIME_MS = 5 * 60_000;

/**
 * Signs in through a proxy-style auth provider (no popup: the provider's `/refresh` answers
 * with the session), for the sign-in page's provider cards. Core-components does the same for
 * `guest` internally but does not export it.
 */
export class ProxiedProviderAuth
  implements ProfileInfoApi, BackstageIdentityApi, SessionApi
{
  static create(options: { provider: string; discoveryApi: DiscoveryApi }) {
    return new ProxiedProviderAuth(options.provider, options.discoveryApi);
  }

  private session?: Promise<Session>;
  private signedIn = false;
  private readonly observers = new Set<SessionStateObserver>();

  private constructor(
    private readonly provider: string,
    private readonly discoveryApi: DiscoveryApi,
  ) {}

  async getBackstageIdentity(
    options?: AuthRequestOptions,
  ): Promise<BackstageIdentityResponse | undefined> {
    return (await this.getSession(options))?.identity;
  }

  async getProfile(
    options?: AuthRequestOptions,
  ): Promise<ProfileInfo | undefined> {
    return (await this.getSession(options))?.profile;
  }

  async signIn(): Promise<void> {
    await this.getSession();
  }

  async signOut(): Promise<void> {
    this.session = undefined;
    this.setSignedIn(false);
  }

  sessionState$(): SessionStateObservable {
    const observable: SessionStateObservable = {
      [Symbol.observable]: () => observable,
      subscribe: (
        observerOrNext?: SessionStateObserver | ((state: SessionState) => void),
      ) => {
        const observer =
          typeof observerOrNext === 'function'
            ? { next: observerOrNext }
            : observerOrNext ?? {};
        this.observers.add(observer);
        observer.next?.(this.state());
        let closed = false;
        return {
          unsubscribe: () => {
            closed = true;
            this.observers.delete(observer);
          },
          get closed() {
            return closed;
          },
        };
      },
    };
    return observable;
  }

  /**
   * One fetch at a time, reused until it is due for refresh. With `optional`, a failed
   * sign-in means "no session" rather than an error.
   */
  private async getSession(
    options: AuthRequestOptions = {},
  ): Promise<Session | undefined> {
    const fresh = !this.session;
    const pending = (this.session ??= this.fetchSession());
    try {
      const session = await pending;
      this.setSignedIn(true);
      if (fresh || Date.now() < session.refreshAt) return session;
    } catch (error) {
      if (this.session === pending) this.session = undefined;
      this.setSignedIn(false);
      if (options.optional) return undefined;
      throw error;
    }
    if (this.session === pending) this.session = undefined;
    return this.getSession(options);
  }

  private async fetchSession(): Promise<Session> {
    const baseUrl = await this.discoveryApi.getBaseUrl('auth');
    // Not the fetchApi: there is no Backstage token to attach before sign-in.
    const response = await fetch(`${baseUrl}/${this.provider}/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
      credentials: 'include',
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const body = await response.json();
    const { token, expiresInSeconds, identity } = body.backstageIdentity;
    const lifetimeMs = expiresInSeconds
      ? expiresInSeconds * 1000
      : DEFAULT_LIFETIME_MS;
    return {
      profile: body.profile ?? {},
      identity: {
        token,
        identity,
        expiresAt: new Date(Date.now() + lifetimeMs),
      },
      // Refresh in the token's last fifth, so a request never carries an expired token.
      refreshAt: Date.now() + lifetimeMs * 0.8,
    };
  }

  private state(): SessionState {
    return this.signedIn ? SessionState.SignedIn : SessionState.SignedOut;
  }

  private setSignedIn(signedIn: boolean) {
    if (signedIn === this.signedIn) return;
    this.signedIn = signedIn;
    for (const observer of this.observers) observer.next?.(this.state());
  }
}
