import { LogHub } from '../logs/LogHub';
import { LogStore } from '../logs/LogStore';
import { DeploymentFeed } from './DeploymentFeed';

/**
 * One {@link DeploymentFeed} per followed deployment, closed when its last subscriber leaves.
 *
 * @internal
 */
export class FeedRegistry {
  private readonly feeds = new Map<
    string,
    { feed: DeploymentFeed; users: number }
  >();

  constructor(private readonly store: LogStore, private readonly hub: LogHub) {}

  acquire(deploymentId: string): DeploymentFeed {
    let entry = this.feeds.get(deploymentId);
    if (!entry) {
      entry = {
        feed: new DeploymentFeed(deploymentId, this.store, this.hub),
        users: 0,
      };
      this.feeds.set(deploymentId, entry);
    }
    entry.users += 1;
    return entry.feed;
  }

  release(feed: DeploymentFeed) {
    const entry = this.feeds.get(feed.deploymentId);
    if (!entry || entry.feed !== feed) return;
    entry.users -= 1;
    if (entry.users === 0) {
      feed.close();
      this.feeds.delete(feed.deploymentId);
    }
  }

  get size() {
    return this.feeds.size;
  }
}
