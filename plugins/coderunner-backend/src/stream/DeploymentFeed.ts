import { LogLine } from '@coderunner/plugin-coderunner-common';
import { LogHub } from '../logs/LogHub';
import { LogStore } from '../logs/LogStore';

/** Recent lines kept in memory per deployment, so live subscribers never touch the database. */
const BUFFER_LINES = 5000;
const PAGE = 1000;

/**
 * Someone following a deployment through a {@link DeploymentFeed}.
 *
 * @internal
 */
export interface FeedListener {
  /** New lines are in the feed (or may be): read from your cursor. */
  onLines(): void;
  onStatus(): void;
}

/**
 * The newest lines of one deployment, shared by every subscriber on this backend. Lines this
 * process writes are handed over by the store right after their commit; lines written
 * elsewhere (other replicas, woken by the LogHub) or missed are read from the store by cursor,
 * once. It keeps the last few thousand lines in memory; subscribers further behind read the
 * store themselves. The buffer only ever grows by the line right after `head`, so it stays in
 * order and without holes.
 *
 * @internal
 */
export class DeploymentFeed {
  /** The newest sequence number read from the store. */
  head = 0;
  /** `buffer` holds every stored line with a sequence number above this. */
  private coveredFrom = 0;
  private buffer: LogLine[] = [];
  private readonly listeners = new Set<FeedListener>();
  private pulling?: Promise<void>;
  private pullAgain = false;
  private unsubscribe?: () => void;
  private unhear?: () => void;
  private isReady = false;
  /** The newest frame of lines, serialized once for every subscriber without a filter. */
  private frame?: { after: number; upTo: number; items: LogLine[]; json?: string };
  readonly ready: Promise<void>;

  constructor(
    readonly deploymentId: string,
    private readonly store: LogStore,
    hub: LogHub,
  ) {
    this.unsubscribe = hub.subscribe(deploymentId, event => {
      if (event.status) {
        for (const listener of this.listeners) listener.onStatus();
      } else if (event.lastSeq === undefined || event.lastSeq > this.head) {
        void this.pull();
      }
    });
    this.unhear = store.onAppended(deploymentId, lines => this.take(lines));
    this.ready = store.head(deploymentId).then(head => {
      this.head = Math.max(this.head, head);
      this.coveredFrom = this.head;
      this.isReady = true;
    });
  }

  /**
   * The JSON of `items` when they are exactly the lines after `after` up to `upTo` of the
   * newest frame, serialized at most once for all subscribers; otherwise undefined.
   */
  frameJson(after: number, upTo: number): string | undefined {
    const frame = this.frame;
    if (!frame || frame.after !== after || frame.upTo !== upTo) return undefined;
    frame.json ??= JSON.stringify(frame.items);
    return frame.json;
  }

  /** Lines this process just stored: appended at once when they follow the head, else read. */
  private take(lines: LogLine[]) {
    if (lines.length === 0) return;
    const last = lines[lines.length - 1].seq;
    if (last <= this.head) return;
    if (!this.isReady || this.pulling || lines[0].seq !== this.head + 1) {
      void this.pull();
      return;
    }
    this.append(lines, last);
  }

  private append(items: LogLine[], lastSeq: number) {
    const after = this.head;
    for (const item of items) this.buffer.push(item);
    this.head = lastSeq;
    if (this.buffer.length > BUFFER_LINES) {
      const dropped = this.buffer.splice(0, this.buffer.length - BUFFER_LINES);
      this.coveredFrom = dropped[dropped.length - 1].seq;
    }
    // Only a frame without holes is shared; one with a retention gap goes the long way.
    const whole = items[0].seq === after + 1 && lastSeq === after + items.length;
    this.frame = whole && items.length <= PAGE ? { after, upTo: lastSeq, items } : undefined;
    for (const listener of this.listeners) listener.onLines();
  }

  add(listener: FeedListener) {
    this.listeners.add(listener);
  }

  remove(listener: FeedListener) {
    this.listeners.delete(listener);
  }

  get listenerCount() {
    return this.listeners.size;
  }

  close() {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.unhear?.();
    this.unhear = undefined;
    this.buffer = [];
    this.frame = undefined;
  }

  /** Whether the buffer can answer for every line after `cursor`. */
  covers(cursor: number) {
    return cursor >= this.coveredFrom;
  }

  /** Up to `limit` buffered lines after `cursor`, oldest first. */
  linesAfter(cursor: number, limit: number): LogLine[] {
    let low = 0;
    let high = this.buffer.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.buffer[mid].seq <= cursor) low = mid + 1;
      else high = mid;
    }
    return this.buffer.slice(low, low + limit);
  }

  private pull(): Promise<void> {
    if (this.pulling) {
      this.pullAgain = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      await this.ready;
      do {
        this.pullAgain = false;
        for (;;) {
          const page = await this.store.read(this.deploymentId, { after: this.head, limit: PAGE });
          if (page.items.length === 0) break;
          this.append(page.items, page.lastSeq);
          if (page.items.length < PAGE) break;
        }
      } while (this.pullAgain);
    })()
      .catch(() => {
        // The next wake-up (or a reconnecting subscriber) reads again from the same cursor.
      })
      .finally(() => {
        this.pulling = undefined;
      });
    return this.pulling;
  }
}
