/**
 * Which requests a fault applies to.
 *
 * @public
 */
export interface FaultMatch {
  /** `api` is the control plane, `envd` the in-sandbox daemon; both when omitted. */
  service?: 'api' | 'envd';
  /** HTTP method, for example `POST`. */
  method?: string;
  /** A path prefix, for example `/sandboxes` or `/process.Process/Start`. */
  path?: string;
}

/**
 * A fault to inject. `times` limits how many requests it hits; without it, it
 * stays until {@link Faults.clear}.
 *
 * - `status`: answer with this HTTP status (429, 500, 503, ...) and an error body.
 * - `latency`: wait `ms` before handling the request.
 * - `drop-stream`: cut a server stream's connection after `afterMessages` messages.
 * - `drop-connection`: close the connection without answering (a network error).
 *
 * @public
 */
export type Fault = FaultMatch & { times?: number } & (
    | { type: 'status'; status: number; message?: string }
    | { type: 'latency'; ms: number }
    | { type: 'drop-stream'; afterMessages?: number }
    | { type: 'drop-connection' }
  );

/**
 * A request as faults see it.
 *
 * @public
 */
export interface FaultTarget {
  service: 'api' | 'envd';
  method: string;
  path: string;
}

/**
 * Faults injected into the emulator on demand, for tests.
 *
 * @public
 */
export class Faults {
  private active: Fault[] = [];
  private hits = 0;

  /** Adds a fault; faults apply in the order they were added. */
  inject(fault: Fault): void {
    this.active.push({ ...fault });
  }

  /** Removes every fault. */
  clear(): void {
    this.active = [];
  }

  /** How many requests a fault has hit since the emulator started. */
  get hitCount(): number {
    return this.hits;
  }

  /** Takes the first matching fault of one of `types`, counting it as used. */
  take<T extends Fault['type']>(
    target: FaultTarget,
    types: T[],
  ): Extract<Fault, { type: T }> | undefined {
    const index = this.active.findIndex(
      fault =>
        (types as string[]).includes(fault.type) &&
        (!fault.service || fault.service === target.service) &&
        (!fault.method || fault.method.toUpperCase() === target.method) &&
        (!fault.path || target.path.startsWith(fault.path)),
    );
    if (index < 0) {
      return undefined;
    }
    const fault = this.active[index];
    this.hits += 1;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) {
        this.active.splice(index, 1);
      }
    }
    return fault as Extract<Fault, { type: T }>;
  }
}
