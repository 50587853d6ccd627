import { LoggerService } from '@backstage/backend-plugin-api';
import { LogStream } from '@coderunner/plugin-coderunner-common';
import { LineSplitter } from './LineSplitter';
import { LogStore, NewLogLine } from './LogStore';

/**
 * Shortest time between the starts of two writes. A line that arrives when the writer is idle
 * waits at most this long (lines of one chunk always go together); under load the lines that
 * arrive while a write is in flight form the next batch (group commit), so batches grow with
 * the rate and the database sees one transaction at a time per deployment.
 */
const MIN_WRITE_GAP_MS = 3;
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
 * @internal
 */
export class LogWriter {
  private readonly pending: NewLogLine[] = [];
  private readonly splitters = new Map<string, LineSplitter>();
  private timer?: NodeJS.Timeout;
  private immediate?: NodeJS.Immediate;
  /** Whether the write loop runs; it ends only when nothing is pending (or waits for the gap). */
  private active = false;
  /** The running write loop, for `flush` to wait on. */
  private writing?: Promise<void>;
  private lastWriteStart = 0;
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
    } = {},
  ) {
    this.enqueue({ stream: source.stream ?? 'system', ...source, line });
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
      this.clearTimer();
      if (!this.active) {
        if (this.pending.length === 0) return;
        this.startLoop(true);
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
    // While a write is in flight its loop takes these lines next; otherwise schedule one.
    if (this.active || this.timer || this.immediate) return;
    const wait = this.lastWriteStart + MIN_WRITE_GAP_MS - performance.now();
    if (wait >= 1) {
      this.timer = setTimeout(() => this.fire(), wait);
    } else {
      // Still gather the rest of this chunk (and of this turn of the event loop).
      this.immediate = setImmediate(() => this.fire());
    }
  }

  private fire() {
    this.timer = undefined;
    this.immediate = undefined;
    if (!this.active && this.pending.length > 0) this.startLoop(false);
  }

  private startLoop(urgent: boolean) {
    const loop = this.writeBatches(urgent);
    // The loop may have ended before its first await (it only scheduled a timer).
    if (this.active) this.writing = loop;
  }

  private clearTimer() {
    // Never cross the two: clearImmediate on a Timeout corrupts Node's timer lists.
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  /** Writes until nothing is pending; unless `urgent`, keeps writes MIN_WRITE_GAP_MS apart. */
  private async writeBatches(urgent: boolean) {
    this.active = true;
    try {
      while (this.pending.length > 0) {
        const wait = this.lastWriteStart + MIN_WRITE_GAP_MS - performance.now();
        if (!urgent && wait >= 1) {
          this.timer ??= setTimeout(() => this.fire(), wait);
          return;
        }
        this.clearTimer();
        this.lastWriteStart = performance.now();
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
