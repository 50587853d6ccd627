import { LoggerService } from '@backstage/backend-plugin-api';
import { LogStream } from '@coderunner/plugin-coderunner-common';
import { LineSplitter } from './LineSplitter';
import { LogStore, NewLogLine } from './LogStore';

/** The most lines one transaction stores; more wait for the next. */
const MAX_BATCH = 2000;

/**
 * Rewrites a line before it is stored or streamed, e.g. to replace secret values with a
 * marker. Runs on every line, so it must be fast and must not throw.
 *
 * @internal
 */
export type LineRedactor = (deploymentId: string, line: string) => string;

/**
 * Collects the output of one deployment's builds and instances and writes it to the store in
 * batches (one transaction per batch, not per line), keeping the order of arrival.
 *
 * When the writer is idle, a line is written in the next turn of the event loop (with whatever
 * else arrived in that turn) and no timer is involved. While a write is in flight, the lines
 * that arrive meanwhile wait for it and then go together in one transaction (group commit), so
 * batches grow with the rate only under load and the database sees one transaction at a time
 * per deployment.
 *
 * @internal
 */
export class LogWriter {
  private readonly pending: NewLogLine[] = [];
  private readonly splitters = new Map<string, LineSplitter>();
  private immediate?: NodeJS.Immediate;
  /** Whether the write loop runs; it ends only when nothing is pending. */
  private active = false;
  /** The running write loop, for `flush` to wait on. */
  private writing?: Promise<void>;
  /** When the oldest pending line arrived (performance.now()); a time, not one per line. */
  private oldestArrival = 0;

  constructor(
    private readonly deploymentId: string,
    private readonly store: LogStore,
    private readonly logger: LoggerService,
    private readonly hooks: {
      /** `lagSeconds`: from the arrival of the batch's oldest line to its commit. */
      onWritten?: (
        deploymentId: string,
        lastSeq: number,
        lagSeconds: number,
      ) => void;
      redact?: LineRedactor;
    } = {},
  ) {}

  /** Adds a raw chunk of output; whole lines are queued, the rest waits for more. */
  write(
    chunk: string,
    source: { stream: LogStream; releaseId?: string; instanceId?: string },
  ) {
    const key = `${source.instanceId ?? source.releaseId}:${source.stream}`;
    let splitter = this.splitters.get(key);
    if (!splitter) {
      splitter = new LineSplitter();
      this.splitters.set(key, splitter);
    }
    for (const line of splitter.push(chunk)) {
      this.enqueue({ ...source, line });
    }
  }

  /** Adds a line from CodeRunner itself (stream `system`, or `build` for build steps). */
  line(
    line: string,
    source: {
      stream?: LogStream;
      releaseId?: string;
      instanceId?: string;
      /** See {@link NewLogLine.offset}. */
      offset?: number;
      level?: NewLogLine['level'];
    } = {},
  ) {
    this.enqueue({ stream: source.stream ?? 'system', ...source, line });
  }

  /** How many bytes of an instance's stdout and stderr are stored (a takeover reads on from there). */
  storedOffsets(instanceId: string) {
    return this.store.storedOffsets(instanceId);
  }

  /** Writes out any unfinished lines of a source whose process ended. */
  end(source: { stream: LogStream; releaseId?: string; instanceId?: string }) {
    const key = `${source.instanceId ?? source.releaseId}:${source.stream}`;
    const splitter = this.splitters.get(key);
    if (splitter) {
      for (const line of splitter.flush()) {
        this.enqueue({ ...source, line });
      }
      this.splitters.delete(key);
    }
  }

  /** Resolves once everything queued so far is stored. */
  async flush(): Promise<void> {
    for (;;) {
      if (!this.active) {
        if (this.pending.length === 0) return;
        this.startLoop();
      }
      await this.writing;
    }
  }

  private enqueue(line: NewLogLine) {
    if (this.hooks.redact) {
      line.line = this.hooks.redact(this.deploymentId, line.line);
    }
    if (this.pending.length === 0) this.oldestArrival = performance.now();
    this.pending.push(line);
    // While a write is in flight its loop takes these lines next (group commit). When idle,
    // write in the next turn: the rest of this chunk and of this turn go in the same batch.
    if (this.active || this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      if (!this.active && this.pending.length > 0) this.startLoop();
    });
  }

  private startLoop() {
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    const loop = this.writeBatches();
    // (Were the loop to end before its first await, `writing` must stay empty.)
    if (this.active) this.writing = loop;
  }

  /** Writes until nothing is pending, one batch at a time. */
  private async writeBatches() {
    this.active = true;
    try {
      while (this.pending.length > 0) {
        // Lines left over from a full batch count from the same arrival: an upper bound.
        const arrived = this.oldestArrival;
        const batch =
          this.pending.length <= MAX_BATCH
            ? this.pending.splice(0, this.pending.length)
            : this.pending.splice(0, MAX_BATCH);
        try {
          const lastSeq = await this.store.append(this.deploymentId, batch);
          this.hooks.onWritten?.(
            this.deploymentId,
            lastSeq,
            (performance.now() - arrived) / 1000,
          );
        } catch (error) {
          this.logger.error(
            `Could not store ${batch.length} log lines of deployment ${this.deploymentId}`,
            error as Error,
          );
        }
      }
    } finally {
      // Synchronously after the last check of `pending`: a line enqueued from now on schedules anew.
      this.active = false;
      this.writing = undefined;
    }
  }
}
