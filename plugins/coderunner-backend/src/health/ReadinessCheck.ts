/**
 * How one part of the backend is doing. `detail` is for operators and is shown to anyone who
 * can reach `/health`: it never holds a secret, a URL or a host name.
 *
 * @internal
 */
export interface ComponentHealth {
  status: 'ok' | 'failing';
  detail: string;
}

/** @internal */
export interface HealthComponent {
  name: string;
  check(): Promise<ComponentHealth> | ComponentHealth;
}

/** @internal */
export interface ReadinessReport {
  status: 'ok' | 'failing';
  components: Record<string, ComponentHealth>;
}

/** A component that has not answered within this long counts as failing. */
const COMPONENT_TIMEOUT_MS = 1000;

/**
 * Runs every component's check at once, each bounded by a short timeout so the answer never
 * hangs. Callers that arrive while a run is in flight share it, so a flood of `/health`
 * requests costs one database round trip at a time.
 *
 * @internal
 */
export class ReadinessCheck {
  private inFlight?: Promise<ReadinessReport>;

  constructor(
    private readonly components: HealthComponent[],
    private readonly timeoutMs = COMPONENT_TIMEOUT_MS,
  ) {}

  run(): Promise<ReadinessReport> {
    this.inFlight ??= this.checkAll().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async checkAll(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.components.map(async c => [c.name, await this.bounded(c)] as const),
    );
    const components = Object.fromEntries(results);
    const failing = results.some(([, health]) => health.status === 'failing');
    return { status: failing ? 'failing' : 'ok', components };
  }

  private async bounded(component: HealthComponent): Promise<ComponentHealth> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ComponentHealth>(resolve => {
      timer = setTimeout(
        () =>
          resolve({
            status: 'failing',
            detail: `no answer within ${this.timeoutMs / 1000} s`,
          }),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([
        Promise.resolve().then(() => component.check()),
        timeout,
      ]);
    } catch (error) {
      return {
        status: 'failing',
        detail: `the check failed (${errorCode(error)})`,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * A driver's error code (`ECONNREFUSED`, `SQLITE_BUSY`, `57P01`) says what went wrong without the
 * host names and connection details its message may carry.
 */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code)
    ? code
    : 'error';
}
