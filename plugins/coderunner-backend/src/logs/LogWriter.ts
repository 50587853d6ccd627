import { LoggerService } from '@backstage/backend-plugin-api';
import { LogStream } from '@coderunner/plugin-coderunner-common';
import { LineSplitter } from './LineSplitter';
import { LogStore, NewLogLine } from './LogStore';

const FLUSH_INTERVAL_MS = 20;
const MAX_BATCH = 1000;

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
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deploymentId: string,
    private readonly store: LogStore,
    private readonly logger: LoggerService,
    private readonly hooks: {
      onWritten?: (deploymentId: string, lastSeq: number) => void;
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
    source: { stream?: LogStream; releaseId?: string; instanceId?: string } = {},
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
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.flushing = this.flushing.then(() => this.writeBatches());
    return this.flushing;
  }

  private enqueue(line: NewLogLine) {
    if (this.hooks.redact) {
      line.line = this.hooks.redact(this.deploymentId, line.line);
    }
    this.pending.push(line);
    if (this.pending.length >= MAX_BATCH) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
    }
  }

  private async writeBatches() {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      try {
        const lastSeq = await this.store.append(this.deploymentId, batch);
        this.hooks.onWritten?.(this.deploymentId, lastSeq);
      } catch (error) {
        this.logger.error(
          `Could not store ${batch.length} log lines of deployment ${this.deploymentId}`,
          error as Error,
        );
      }
    }
  }
}
