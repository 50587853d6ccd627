import { Config } from '@backstage/config';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import { LRUCache } from 'lru-cache';
import { readCacheBytes } from '../service/cacheBytes';
import { DeploymentKey } from './DeploymentStore';

/** 16 MiB of views by default: about 6,000 deployments of one instance each. */
export const DEFAULT_VIEW_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * What a kept view costs, about: its JSON text (one byte a character) and its objects, about 1.5
 * times the text (measured: 2.6 kB of heap for a view of one release and one instance whose
 * text is 1 kB), and the entry's own part.
 */
const BYTES_PER_TEXT_CHAR = 2.5;
const ENTRY_BYTES = 100;

/**
 * The bytes of deployment views each replica keeps in memory for the Deployments API's lists,
 * from `coderunner.deployments.viewCacheBytes` ({@link DEFAULT_VIEW_CACHE_BYTES} when unset, 0
 * for none).
 *
 * @internal
 */
export function readViewCacheBytes(config: Config): number {
  return readCacheBytes(
    config,
    'coderunner.deployments.viewCacheBytes',
    DEFAULT_VIEW_CACHE_BYTES,
  );
}

/** Freezes an object and every object and array in it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** A deployment's view and its JSON text, the same as `JSON.stringify(view)`. */
export type ViewText = { view: Deployment; text: string };

type Kept = ViewText & {
  viewVersion: number;
  configStamp: number;
  gatewayPort: number | undefined;
};

/**
 * Deployment views kept in memory by deployment id, for the lists of one replica.
 *
 * A kept view is handed out only while it is provably current. Every write to what a view
 * shows (the deployment's row, its instances, its releases) raises the row's view version in
 * the same transaction, on whichever replica it runs, and configuration versions are only
 * ever added. A list's query reads each deployment's view version and its entity's newest
 * configuration version; a view kept for both is the one a fresh read would make, or newer.
 * The gateway's port, which a view's URL names, is checked too. The least recently used view
 * goes first once `maxBytes` is reached; 0 keeps nothing.
 *
 * Views handed out are shared between requests: nobody may change them.
 *
 * @internal
 */
export class DeploymentViewCache {
  private readonly kept?: LRUCache<string, Kept>;

  constructor(maxBytes: number) {
    if (maxBytes > 0) {
      this.kept = new LRUCache<string, Kept>({
        maxSize: maxBytes,
        sizeCalculation: kept =>
          ENTRY_BYTES + Math.ceil(kept.text.length * BYTES_PER_TEXT_CHAR),
      });
    }
  }

  /** The view kept for the deployment, while it is current for `key`. */
  get(
    key: DeploymentKey,
    gatewayPort: number | undefined,
  ): ViewText | undefined {
    const kept = this.kept?.get(key.id);
    return kept &&
      kept.viewVersion === key.viewVersion &&
      kept.configStamp === key.configStamp &&
      kept.gatewayPort === gatewayPort
      ? kept
      : undefined;
  }

  /**
   * Keeps `view`, made from a deployment's row at `viewVersion` and from what was read after
   * that row (so as new as that version, or newer), and from configuration read after
   * `configStamp` was; frozen, since requests share it. Hands it back with its text. A view
   * kept already for a newer version stays (a slower request made this one).
   */
  keep(
    deployment: { id: string; viewVersion: number },
    configStamp: number,
    gatewayPort: number | undefined,
    view: Deployment,
  ): ViewText {
    const made: Kept = {
      view: deepFreeze(view),
      text: JSON.stringify(view),
      viewVersion: deployment.viewVersion,
      configStamp,
      gatewayPort,
    };
    const kept = this.kept?.peek(deployment.id);
    if (
      !kept ||
      kept.viewVersion < made.viewVersion ||
      (kept.viewVersion === made.viewVersion &&
        kept.configStamp <= made.configStamp)
    ) {
      this.kept?.set(deployment.id, made);
    }
    return made;
  }

  /** Bytes kept, about, for tests. */
  get size(): number {
    return this.kept?.calculatedSize ?? 0;
  }
}
