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
 * The newest lines of one deployment, shared by every subscriber on this backend: woken by
 * the LogHub, it reads each new batch from the store once and keeps the last few thousand
 * lines in memory. Subscribers further behind read the store themselves.
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
    this.ready = store.head(deploymentId).then(head => {
      this.head = Math.max(this.head, head);
      this.coveredFrom = this.head;
    });
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
    this.buffer = [];
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
          this.buffer.push(...page.items);
          this.head = page.lastSeq;
          if (this.buffer.length > BUFFER_LINES) {
            const dropped = this.buffer.splice(0, this.buffer.length - BUFFER_LINES);
            this.coveredFrom = dropped[dropped.length - 1].seq;
          }
          for (const listener of this.listeners) listener.onLines();
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
