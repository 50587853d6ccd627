import { addKeyedListener } from './keyedListeners';

/**
 * Called when lines up to `lastSeq` of a deployment are stored, with `status` when the
 * deployment's state changed, and with neither when news may have been missed (look again).
 *
 * @internal
 */
export type LogHubListener = (event: {
  lastSeq?: number;
  status?: true;
}) => void;

/**
 * Carries "new lines up to N" and "status changed" between backend replicas. The PostgreSQL
 * implementation sends one NOTIFY per written batch; without one, the hub is in-process.
 *
 * @internal
 */
export interface LogHubTransport {
  publish(message: string): Promise<void>;
  /** Whether news from the other replicas can arrive right now. */
  readonly connected: boolean;
  /** `onReconnect` means messages may have been missed: every listener should catch up. */
  start(handlers: {
    onMessage(message: string): void;
    onReconnect(): void;
  }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Fans out news of written log lines (`deploymentId:lastSeq`) and status changes to the
 * subscribers of this backend, and through a transport to the other replicas. It carries no
 * lines: readers fetch them by cursor from the store, which stays the source of truth.
 *
 * @internal
 */
export class LogHub {
  private readonly listeners = new Map<string, Set<LogHubListener>>();
  private readonly heads = new Map<string, number>();
  private running = false;

  constructor(private readonly transport?: LogHubTransport) {}

  async start() {
    await this.transport?.start({
      onMessage: message => this.receive(message),
      onReconnect: () => this.wakeAll(),
    });
    this.running = true;
  }

  async stop() {
    this.running = false;
    await this.transport?.stop();
  }

  /** For /health: `connected` is absent without a transport (one process, nothing to connect). */
  get state(): { running: boolean; connected?: boolean } {
    return { running: this.running, connected: this.transport?.connected };
  }

  /** Lines up to `lastSeq` were stored here: tell this process now, the others via the transport. */
  linesWritten(deploymentId: string, lastSeq: number) {
    this.deliver(deploymentId, { lastSeq });
    void this.transport?.publish(`${deploymentId}:${lastSeq}`).catch(() => {
      // A lost notice only delays other replicas until their next wake-up; nothing is lost.
    });
  }

  statusChanged(deploymentId: string) {
    this.deliver(deploymentId, { status: true });
    void this.transport?.publish(`${deploymentId}:status`).catch(() => {});
  }

  subscribe(deploymentId: string, listener: LogHubListener): () => void {
    return addKeyedListener(this.listeners, deploymentId, listener, () =>
      this.heads.delete(deploymentId),
    );
  }

  /** How many deployments have listeners here. */
  get size() {
    return this.listeners.size;
  }

  private receive(message: string) {
    const colon = message.lastIndexOf(':');
    const deploymentId = message.slice(0, colon);
    const rest = message.slice(colon + 1);
    if (rest === 'status') {
      this.deliver(deploymentId, { status: true });
      return;
    }
    const lastSeq = Number(rest);
    if (deploymentId && Number.isInteger(lastSeq)) {
      this.deliver(deploymentId, { lastSeq });
    }
  }

  private deliver(
    deploymentId: string,
    event: { lastSeq?: number; status?: true },
  ) {
    const set = this.listeners.get(deploymentId);
    if (!set) return;
    if (event.lastSeq !== undefined) {
      // Our own notices come back from PostgreSQL; only news wakes the listeners.
      if ((this.heads.get(deploymentId) ?? 0) >= event.lastSeq) return;
      this.heads.set(deploymentId, event.lastSeq);
    }
    for (const listener of set) {
      listener(event);
    }
  }

  private wakeAll() {
    for (const set of this.listeners.values()) {
      for (const listener of set) {
        listener({});
      }
    }
  }
}
