import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import {
  coderunnerDeploymentReadPermission,
  coderunnerLogsReadPermission,
  Deployment,
  LOG_LEVELS,
  LOG_STREAMS,
  LogFilter,
  ScalingDecisionRecord,
  ScalingStatus,
  STREAM_CLOSE_CODES,
  StreamClientMessage,
  StreamServerMessage,
} from '@coderunner/plugin-coderunner-common';
import { WebSocket } from 'ws';
import { EntityGuard } from '../entities/EntityGuard';
import { LogStore } from '../logs/LogStore';
import { DeploymentFeed, FeedListener } from './DeploymentFeed';
import { FeedRegistry } from './FeedRegistry';
import { LogSubscription } from './LogSubscription';

/**
 * What a connection needs from the rest of the backend.
 *
 * @internal
 */
export interface StreamContext {
  feeds: FeedRegistry;
  store: LogStore;
  guard: EntityGuard;
  deployments: {
    get(entity: Entity, environment: string): Promise<{ id: string }>;
    viewById(id: string): Promise<Deployment>;
  };
  logger: LoggerService;
  limits: StreamLimits;
  /** Live autoscaling, for the `scaling` topic; set once the capability exists. */
  scaling?: {
    statusById(deploymentId: string): Promise<ScalingStatus>;
    onChange(
      listener: (
        deploymentId: string,
        decision?: ScalingDecisionRecord,
      ) => void,
    ): () => void;
  };
}

/**
 * Per-connection limits.
 *
 * @internal
 */
export interface StreamLimits {
  maxSubscriptions: number;
  /** Bytes queued on the socket above which subscribers pause and catch up later. */
  highWaterBytes: number;
  /** Lines a new subscription without a cursor starts with, at most. */
  maxTail: number;
}

type Active = {
  feed: DeploymentFeed;
  listener: FeedListener & { close(): void };
};

/**
 * One browser's WebSocket: its subscriptions to deployment logs and status, each checked
 * against the permissions of the user who opened it.
 *
 * @internal
 */
export class StreamConnection {
  private readonly subscriptions = new Map<string, Active | 'pending'>();
  private readonly expiry?: NodeJS.Timeout;
  private closed = false;
  alive = true;

  constructor(
    private readonly ws: WebSocket,
    private readonly credentials: BackstageCredentials,
    private readonly context: StreamContext,
  ) {
    // The token was checked at the upgrade only; the socket lives no longer than the token
    // (its `exp`), and the browser reconnects with a fresh one.
    const lifetimeMs =
      credentials.expiresAt && credentials.expiresAt.getTime() - Date.now();
    // (Node fires a timer of more than 2^31-1 ms at once; no token lives that long.)
    if (lifetimeMs !== undefined && lifetimeMs < 2 ** 31 - 1) {
      this.expiry = setTimeout(
        () =>
          ws.close(
            STREAM_CLOSE_CODES.tokenExpired,
            'token expired; reconnect with a fresh token',
          ),
        Math.max(0, lifetimeMs),
      );
    }
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.send({
          type: 'error',
          code: 'invalid',
          message: 'Send JSON text messages.',
        });
        return;
      }
      void this.receive(data.toString());
    });
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('close', () => this.close());
    ws.on('error', () => this.close());
  }

  send(message: StreamServerMessage) {
    if (this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(message));
    }
  }

  sendEncoded(message: Buffer) {
    if (this.ws.readyState === WebSocket.OPEN) {
      // A text frame; ws neither copies nor changes the (shared) buffer of an unmasked frame.
      this.ws.send(message, { binary: false });
    }
  }

  congested() {
    return this.ws.bufferedAmount > this.context.limits.highWaterBytes;
  }

  /** Sends a heartbeat message and a protocol ping; a connection that missed a pong ends. */
  heartbeat() {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
    this.send({ type: 'heartbeat', time: new Date().toISOString() });
  }

  /** Log and status subscriptions open (or being opened) on this socket. */
  get subscriptionCount() {
    return this.subscriptions.size;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.expiry);
    for (const id of [...this.subscriptions.keys()]) this.unsubscribe(id);
  }

  private async receive(text: string) {
    let message: StreamClientMessage;
    try {
      message = JSON.parse(text);
    } catch {
      this.send({
        type: 'error',
        code: 'invalid',
        message: 'Messages must be JSON.',
      });
      return;
    }
    switch (message?.type) {
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'unsubscribe':
        this.unsubscribe(message.id);
        this.send({ type: 'unsubscribed', id: message.id });
        return;
      case 'subscribe':
        await this.subscribe(message).catch(error =>
          this.fail(message.id, error),
        );
        return;
      default:
        this.send({
          type: 'error',
          code: 'invalid',
          message: 'Unknown message type; use subscribe, unsubscribe or ping.',
        });
    }
  }

  private async subscribe(
    message: Extract<StreamClientMessage, { type: 'subscribe' }>,
  ) {
    const { id } = message;
    const problem = validate(message);
    if (problem) {
      this.send({ type: 'error', id, code: 'invalid', message: problem });
      return;
    }
    if (this.subscriptions.has(id)) {
      this.send({
        type: 'error',
        id,
        code: 'invalid',
        message: `Subscription ${id} exists; pick a new id.`,
      });
      return;
    }
    if (this.subscriptions.size >= this.context.limits.maxSubscriptions) {
      this.send({
        type: 'error',
        id,
        code: 'limit',
        message: `At most ${this.context.limits.maxSubscriptions} subscriptions per connection; unsubscribe first.`,
      });
      return;
    }
    this.subscriptions.set(id, 'pending');
    try {
      const entity = await this.context.guard.authorize({
        ref: message.entityRef,
        permission:
          message.topic === 'logs'
            ? coderunnerLogsReadPermission
            : coderunnerDeploymentReadPermission,
        credentials: this.credentials,
      });
      const deployment = await this.context.deployments.get(
        entity,
        message.environment,
      );
      if (this.subscriptions.get(id) !== 'pending' || this.closed) return; // unsubscribed meanwhile
      const feed = this.context.feeds.acquire(deployment.id);
      await feed.ready;
      if (this.subscriptions.get(id) !== 'pending' || this.closed) {
        this.context.feeds.release(feed);
        return;
      }
      if (message.topic === 'logs') {
        const tail = Math.min(
          message.tail ?? 1000,
          this.context.limits.maxTail,
        );
        // A resume may name lines this replica's feed has not heard of yet (written elsewhere):
        // ask the store, so nothing at or below `after` is sent again.
        const head =
          message.after !== undefined && message.after > feed.head
            ? Math.max(feed.head, await this.context.store.head(deployment.id))
            : feed.head;
        if (this.subscriptions.get(id) !== 'pending' || this.closed) {
          this.context.feeds.release(feed);
          return;
        }
        const cursor =
          message.after !== undefined
            ? Math.min(message.after, head)
            : Math.max(0, head - tail);
        const subscription = new LogSubscription(
          id,
          feed,
          this.context.store,
          this,
          cursor,
          message.filter,
        );
        this.subscriptions.set(id, { feed, listener: subscription });
        feed.add(subscription);
        this.send({
          type: 'subscribed',
          id,
          deploymentId: deployment.id,
          lastSeq: head,
        });
        void subscription.pump();
      } else if (message.topic === 'scaling') {
        const scaling = this.context.scaling;
        if (!scaling) {
          this.context.feeds.release(feed);
          throw new Error('Live autoscaling is not running');
        }
        // Decisions made here arrive directly; changes made on another replica arrive as a
        // status change of the feed, and the newest decision is read then.
        let lastSent: string | undefined;
        const push = (decision?: ScalingDecisionRecord) =>
          void scaling
            .statusById(deployment.id)
            .then(status => {
              if (!this.subscriptions.has(id)) return;
              const newest = decision ?? status.lastDecision;
              const fresh =
                newest && newest.id !== lastSent ? newest : undefined;
              if (fresh) lastSent = fresh.id;
              this.send({
                type: 'scaling',
                id,
                status,
                ...(fresh ? { decision: fresh } : {}),
              });
            })
            .catch(error => this.fail(id, error));
        const stop = scaling.onChange((deploymentId, decision) => {
          if (deploymentId === deployment.id) push(decision);
        });
        const listener = {
          onLines() {},
          onStatus: () => push(),
          close: stop,
        };
        this.subscriptions.set(id, { feed, listener });
        feed.add(listener);
        this.send({
          type: 'subscribed',
          id,
          deploymentId: deployment.id,
          lastSeq: feed.head,
        });
        push();
      } else {
        const listener = {
          onLines() {},
          onStatus: () => void this.sendStatus(id, deployment.id),
          close() {},
        };
        this.subscriptions.set(id, { feed, listener });
        feed.add(listener);
        this.send({
          type: 'subscribed',
          id,
          deploymentId: deployment.id,
          lastSeq: feed.head,
        });
        await this.sendStatus(id, deployment.id);
      }
    } catch (error) {
      if (this.subscriptions.get(id) === 'pending')
        this.subscriptions.delete(id);
      throw error;
    }
  }

  private async sendStatus(id: string, deploymentId: string) {
    try {
      const deployment = await this.context.deployments.viewById(deploymentId);
      if (this.subscriptions.has(id))
        this.send({ type: 'status', id, deployment });
    } catch (error) {
      this.fail(id, error);
    }
  }

  private unsubscribe(id: string) {
    const active = this.subscriptions.get(id);
    this.subscriptions.delete(id);
    if (active && active !== 'pending') {
      active.listener.close();
      active.feed.remove(active.listener);
      this.context.feeds.release(active.feed);
    }
  }

  private fail(id: string, error: unknown) {
    const name = isError(error) ? error.name : '';
    const code = errorCode(name);
    if (code === 'internal') {
      this.context.logger.error(
        `Log stream subscription ${id} failed`,
        error as Error,
      );
    }
    this.send({
      type: 'error',
      id,
      code,
      message:
        code === 'internal'
          ? 'Something went wrong on the server.'
          : String((error as Error).message),
    });
  }
}

function errorCode(
  name: string,
): 'forbidden' | 'not-found' | 'invalid' | 'internal' {
  switch (name) {
    case 'NotAllowedError':
      return 'forbidden';
    case 'NotFoundError':
      return 'not-found';
    case 'InputError':
      return 'invalid';
    default:
      return 'internal';
  }
}

function validate(
  message: Extract<StreamClientMessage, { type: 'subscribe' }>,
): string | undefined {
  if (typeof message.id !== 'string' || !message.id || message.id.length > 64) {
    return 'A subscription needs an "id" string of 1 to 64 characters.';
  }
  if (
    message.topic !== 'logs' &&
    message.topic !== 'status' &&
    message.topic !== 'scaling'
  ) {
    return 'topic must be "logs", "status" or "scaling".';
  }
  if (
    typeof message.entityRef !== 'string' ||
    typeof message.environment !== 'string'
  ) {
    return 'A subscription needs "entityRef" (e.g. component:default/hello-node) and "environment".';
  }
  try {
    parseEntityRef(message.entityRef);
  } catch {
    return `entityRef '${message.entityRef.slice(
      0,
      100,
    )}' is not an entity ref; write it as kind:namespace/name, e.g. component:default/hello-node.`;
  }
  if (message.topic === 'logs') {
    for (const key of ['after', 'tail'] as const) {
      const value = message[key];
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        return `${key} must be a whole number.`;
      }
    }
    return validateFilter(message.filter);
  }
  return undefined;
}

function validateFilter(filter: LogFilter | undefined): string | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter !== 'object' || filter === null)
    return 'filter must be an object.';
  for (const key of ['streams', 'levels'] as const) {
    if (filter[key] !== undefined && !Array.isArray(filter[key]))
      return `filter.${key} must be a list.`;
  }
  const unknownStream = filter.streams?.find(s => !LOG_STREAMS.includes(s));
  if (unknownStream)
    return `Unknown stream ${unknownStream}; use ${LOG_STREAMS.join(', ')}.`;
  const unknownLevel = filter.levels?.find(l => !LOG_LEVELS.includes(l));
  if (unknownLevel)
    return `Unknown level ${unknownLevel}; use ${LOG_LEVELS.join(', ')}.`;
  if (
    filter.text !== undefined &&
    (typeof filter.text !== 'string' || filter.text.length > 200)
  ) {
    return 'filter.text must be a string of at most 200 characters.';
  }
  return undefined;
}
