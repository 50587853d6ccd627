import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import http from 'node:http';
import { Duplex } from 'node:stream';
import {
  Agent,
  Dispatcher,
  getGlobalDispatcher,
  request,
  upgrade,
} from 'undici';
import {
  DeploymentRecord,
  DeploymentStore,
  InstanceRecord,
} from '../deployments/DeploymentStore';
import { instanceHealthUrl, probeHealth } from '../orchestrator/HealthProber';
import {
  downstreamResponseHeaders,
  upstreamRequestHeaders,
} from './forwardedHeaders';
import { checkRequestTarget } from './requestTarget';
import {
  DeploymentRequestSeries,
  RequestCounters,
  RequestMetrics,
} from './RequestMetrics';
import { DeploymentWaker, HoldOutcome, WakeOnRequest } from './WakeOnRequest';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** An idempotent request's body up to this size is kept, so it can be sent again on a retry. */
const MAX_REPLAYABLE_BODY = 1024 * 1024;
/** A request is sent to at most this many instances: the first and two retries. */
const MAX_ATTEMPTS = 3;
/** Answers that say the instance (or the runtime in front of it) could not serve the request. */
const UNAVAILABLE = new Set([502, 503]);
/** How long after a failed health probe the gateway probes again before taking an instance for down. */
const CONFIRM_PROBE_AFTER_MS = 500;

/** What the gateway needs from a release's manifest; releases never change. */
type ReleaseRouting = {
  /** `run.forwardCredentials`. */
  forwardCredentials: boolean;
  /** `run.health.path`, which confirms that an instance that failed a request is down. */
  healthPath?: string;
};

/**
 * Gateway settings from app-config `coderunner.gateway`.
 *
 * @internal
 */
export interface GatewayOptions {
  /** The port the gateway listens on; 0 picks a free one (tests). */
  port: number;
  /** Apps are served at `<name>.<environment>.<baseDomain>`; `localhost` works in browsers. */
  baseDomain: string;
  /** `http` or `https`: the scheme people use to reach the gateway (`X-Forwarded-Proto`). */
  publicScheme: string;
  /** The port people use to reach the gateway (`X-Forwarded-Port`); `port` when not set. */
  publicPort?: number;
  listenHost?: string;
  /** `false` (`coderunner.metrics.gateway.enabled`) proxies without counting anything. */
  measureRequests?: boolean;
  /** How long a request to a deployment scaled to zero waits for an instance; 30 by default. */
  wakeTimeoutSeconds?: number;
  /** Requests waiting for deployments to wake, at most, across all of them; 256 by default. */
  maxHeldRequests?: number;
  /**
   * How long an instance may take to start answering a request (its response headers) before
   * the gateway answers 504; 30 by default. Such a request is not retried elsewhere.
   */
  answerTimeoutSeconds?: number;
}

type Route = {
  deploymentId: string;
  label: string;
  /** The ready instances' origins (`scheme://host:port`), the only places requests go. */
  origins: string[];
  status: string;
  /** Running with a desired count of zero: a request wakes it. */
  scaledToZero: boolean;
  /** From the active release's manifest, `run.forwardCredentials`. */
  forwardCredentials: boolean;
  /** The deployment's request counters; absent while requests are not measured. */
  series?: DeploymentRequestSeries;
  /** The request counters of the instance behind each origin (undefined while not measured). */
  instanceCounters: Map<string, RequestCounters | undefined>;
  /** The instance id behind each origin. */
  instanceIds: Map<string, string>;
  /** From the active release's manifest, `run.health.path`. */
  healthPath?: string;
};

/** The gateway's own answer instead of the app's. */
type Refusal = { status: number; title: string; detail: string };

/** Where a request goes, or the page that says why it goes nowhere. */
type Destination =
  | { route: Route; path: string; refusal?: undefined }
  | {
      route?: undefined;
      path?: undefined;
      refusal: Refusal;
    };

/**
 * Serves every deployment on a stable URL of its own origin, balancing over the ready
 * instances of its active release, retrying idempotent requests on another instance when one
 * dies, passing WebSockets through, and answering 503 with a page that says why when no
 * instance is ready. Runs on its own port so that apps never share the portal's origin.
 *
 * @internal
 */
export class Gateway {
  private server?: http.Server;
  /** The port the server listens on, while it does. */
  private listeningPort?: number;
  private routes = new Map<string, Route>();
  /** Each deployment's host as the last route refresh found it, by `entityRef environment`. */
  private hosts = new Map<string, string>();
  /** What routing needs from each release's manifest; releases never change, so each is read once. */
  private routingByRelease = new Map<string, ReleaseRouting>();
  /**
   * Origins that failed a request and whose health is being checked: requests go elsewhere
   * meanwhile.
   */
  private readonly checking = new Map<string, Promise<string | undefined>>();
  /** Origins found down, with why, until a route refresh no longer lists them. */
  private readonly down = new Map<string, string>();
  private unhealthyListeners: ((deploymentId: string) => void)[] = [];
  private next = 0;
  /**
   * The gateway's own connection pool, so that a process-wide dispatcher (a proxy or interceptor
   * something else installs) never decides where app traffic goes.
   */
  private readonly agent = new Agent();
  private refreshing?: Promise<void>;
  /** A second load asked for while one runs: that one may have read the routes before the change. */
  private refreshAgain?: Promise<void>;
  private timer?: NodeJS.Timeout;
  /** What every proxied request measured, per deployment and instance, read by `metrics/`. */
  readonly requestMetrics = new RequestMetrics();
  /** Requests held while a deployment scaled to zero starts. */
  readonly wakes: WakeOnRequest;
  private readonly answerTimeoutMs: number;

  constructor(
    private readonly store: DeploymentStore,
    private readonly options: GatewayOptions,
    private readonly logger: LoggerService,
  ) {
    this.answerTimeoutMs = (options.answerTimeoutSeconds ?? 30) * 1000;
    if (!(this.answerTimeoutMs > 0)) {
      throw new Error(
        `coderunner.gateway.answerTimeoutSeconds must be a positive number of seconds, not ${options.answerTimeoutSeconds}`,
      );
    }
    const wakeTimeoutSeconds = options.wakeTimeoutSeconds ?? 30;
    if (
      !Number.isFinite(wakeTimeoutSeconds) ||
      wakeTimeoutSeconds < 1 ||
      wakeTimeoutSeconds > 600
    ) {
      throw new Error(
        `coderunner.gateway.wakeTimeoutSeconds must be between 1 and 600, not ${wakeTimeoutSeconds}`,
      );
    }
    const maxHeld = options.maxHeldRequests ?? 256;
    if (!Number.isInteger(maxHeld) || maxHeld < 0) {
      throw new Error(
        `coderunner.gateway.maxHeldRequests must be a whole number of 0 or more, not ${maxHeld}`,
      );
    }
    this.wakes = new WakeOnRequest(
      {
        timeoutMs: wakeTimeoutSeconds * 1000,
        maxHeld,
        refresh: () => this.refresh(),
      },
      logger,
    );
  }

  /** The host name of a deployment on the gateway. */
  hostFor(entityRef: string, environment: string): string {
    const ref = parseEntityRef(entityRef);
    const namespace = ref.namespace === 'default' ? '' : `.${ref.namespace}`;
    return `${ref.name}${namespace}.${environment}.${this.options.baseDomain}`.toLocaleLowerCase(
      'en-US',
    );
  }

  /** The URL people open for a deployment. */
  urlFor(
    deployment: Pick<DeploymentRecord, 'entityRef' | 'environment'>,
  ): string {
    const port = this.options.publicPort ?? this.port;
    const defaultPort = this.options.publicScheme === 'https' ? 443 : 80;
    // A list names a URL per deployment: a host the last refresh knew is not worked out again.
    const host =
      this.hosts.get(`${deployment.entityRef} ${deployment.environment}`) ??
      this.hostFor(deployment.entityRef, deployment.environment);
    return `${this.options.publicScheme}://${host}${
      port === defaultPort ? '' : `:${port}`
    }/`;
  }

  get port(): number {
    return this.listeningPort ?? this.options.port;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on(
      'upgrade',
      (req, socket, head) => void this.handleUpgrade(req, socket, head),
    );
    // Without a listener Node would just drop the connection; say why instead.
    this.server.on('connect', (_req, socket: Duplex) =>
      answerSocket(
        socket,
        400,
        'CONNECT is not served',
        'The CodeRunner gateway is not a forward proxy.',
      ),
    );
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(
        this.options.port,
        this.options.listenHost ?? '0.0.0.0',
        resolve,
      );
    });
    // Read once: every deployment's URL in a list names it (port 0 picks one at listen).
    const address = this.server.address();
    this.listeningPort =
      typeof address === 'object' && address ? address.port : undefined;
    await this.refresh();
    const tick = () => {
      void this.refresh().finally(() => {
        this.timer = setTimeout(tick, 2000);
      });
    };
    this.timer = setTimeout(tick, 2000);
    this.logger.info(
      `CodeRunner gateway serving deployments at ${this.options.publicScheme}://<name>.<environment>.${this.options.baseDomain}:${this.port}`,
    );
  }

  /**
   * Lets a request start a deployment scaled to zero, through `waker` (the scaling capability,
   * created after the gateway). Until then such a request is answered 503 at once.
   */
  wakeWith(waker: DeploymentWaker) {
    this.wakes.waker = waker;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.wakes.stop();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise(resolve => this.server!.close(resolve));
      this.listeningPort = undefined;
    }
    await this.agent.destroy();
  }

  /**
   * Re-reads which instances serve which host; called on every deployment change. Resolves once
   * the routes reflect the database as it was when called: a load already running may have read
   * it before the change, so callers during a load share one more load after it.
   */
  refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.loadRoutes().finally(() => {
        this.refreshing = undefined;
      });
      return this.refreshing;
    }
    this.refreshAgain ??= this.refreshing
      .catch(() => undefined)
      .then(() => {
        this.refreshAgain = undefined;
        return this.refresh();
      });
    return this.refreshAgain;
  }

  private async loadRoutes() {
    try {
      const routes = new Map<string, Route>();
      const hosts = new Map<string, string>();
      const routingByRelease = new Map<string, ReleaseRouting>();
      const live = new Map<string, Set<string>>();
      // A fixed number of queries however many deployments: all rows at once, and the
      // manifests only of active releases not seen before.
      const [deployments, allInstances] = await Promise.all([
        this.store.listDeployments(),
        this.store.listAllInstances(),
      ]);
      const instancesOf = new Map<string, InstanceRecord[]>();
      for (const instance of allInstances) {
        const list = instancesOf.get(instance.deploymentId) ?? [];
        list.push(instance);
        instancesOf.set(instance.deploymentId, list);
      }
      const unknownReleases = deployments
        .map(d => d.activeReleaseId)
        .filter(
          (id): id is string => id !== null && !this.routingByRelease.has(id),
        );
      const manifests = new Map(
        unknownReleases.length > 0
          ? (await this.store.getReleases(unknownReleases)).map(r => [
              r.id,
              r.manifest,
            ])
          : [],
      );
      for (const deployment of deployments) {
        const host = this.hostFor(deployment.entityRef, deployment.environment);
        hosts.set(`${deployment.entityRef} ${deployment.environment}`, host);
        const instances = instancesOf.get(deployment.id) ?? [];
        live.set(deployment.id, new Set(instances.map(i => i.id)));
        const series =
          this.options.measureRequests === false
            ? undefined
            : this.requestMetrics.deployment({
                deploymentId: deployment.id,
                entityRef: deployment.entityRef,
                environment: deployment.environment,
              });
        const instanceCounters = new Map<string, RequestCounters | undefined>();
        const instanceIds = new Map<string, string>();
        for (const instance of instances) {
          if (
            instance.state === 'ready' &&
            instance.url &&
            instance.releaseId === deployment.activeReleaseId
          ) {
            const origin = new URL(instance.url).origin;
            instanceCounters.set(
              origin,
              series && this.requestMetrics.instance(series, instance.id),
            );
            instanceIds.set(origin, instance.id);
          }
        }
        const origins = [...instanceCounters.keys()];
        const releaseId = deployment.activeReleaseId;
        const routing: ReleaseRouting = releaseId
          ? this.releaseRouting(releaseId, manifests.get(releaseId))
          : { forwardCredentials: false };
        if (releaseId) routingByRelease.set(releaseId, routing);
        routes.set(host, {
          deploymentId: deployment.id,
          label: `${deployment.entityRef} in ${deployment.environment}`,
          origins,
          status: deployment.statusReason ?? deployment.status,
          scaledToZero:
            deployment.desiredState === 'running' &&
            deployment.desiredInstances === 0 &&
            releaseId !== null,
          forwardCredentials: routing.forwardCredentials,
          healthPath: routing.healthPath,
          series,
          instanceCounters,
          instanceIds,
        });
      }
      this.routes = routes;
      this.hosts = hosts;
      const served = new Set([...routes.values()].flatMap(r => r.origins));
      for (const origin of this.down.keys()) {
        if (!served.has(origin)) this.down.delete(origin);
      }
      this.routingByRelease = routingByRelease;
      this.requestMetrics.retain(live);
      this.wakes.routesChanged(
        new Set(
          [...routes.values()]
            .filter(r => r.origins.length > 0)
            .map(r => r.deploymentId),
        ),
      );
    } catch (error) {
      this.logger.warn(`Gateway could not refresh its routes: ${error}`);
    }
  }

  /** What routing needs from a release's manifest (`manifest` unless already known). */
  private releaseRouting(
    releaseId: string,
    manifest: string | undefined,
  ): ReleaseRouting {
    const known = this.routingByRelease.get(releaseId);
    if (known) return known;
    const run = manifest ? JSON.parse(manifest)?.run : undefined;
    return {
      forwardCredentials: run?.forwardCredentials === true,
      healthPath:
        typeof run?.health?.path === 'string' ? run.health.path : undefined,
    };
  }

  private route(req: http.IncomingMessage): Route | undefined {
    const host = (req.headers.host ?? '')
      .replace(/:\d+$/, '')
      .toLocaleLowerCase('en-US');
    return this.routes.get(host);
  }

  /** The route and the path a request asks for, refusing any target that is not a plain path. */
  private destination(req: http.IncomingMessage): Destination {
    const target = checkRequestTarget(req.url);
    if (target.problem !== undefined) {
      return {
        refusal: {
          status: 400,
          title: 'Bad request target',
          detail: target.problem,
        },
      };
    }
    // Node keeps the first of several Host headers; a proxy in front may have used another one.
    if ((req.headersDistinct.host?.length ?? 0) > 1) {
      return {
        refusal: {
          status: 400,
          title: 'Several Host headers',
          detail: 'Send exactly one Host header.',
        },
      };
    }
    const route = this.route(req);
    if (!route) {
      return {
        refusal: {
          status: 404,
          title: 'No such deployment',
          detail: `Nothing is deployed at ${req.headers.host}.`,
        },
      };
    }
    return { route, path: target.path };
  }

  /**
   * The dispatcher that reaches an instance origin. Instances use the gateway's own agent, with
   * one exception: a host under the reserved `.test` domain (RFC 6761), which no DNS resolves,
   * belongs to the AgentSphere emulator and is reachable only through the process-wide dispatcher
   * the emulator installs (the SDK has no base URL; see `routeDomainToEmulator`). Either way the
   * origin is an instance's, from the database, never anything a client sent.
   */
  private dispatcherFor(origin: string): Dispatcher {
    return new URL(origin).hostname.endsWith('.test')
      ? getGlobalDispatcher()
      : this.agent;
  }

  private forwardedHeaders(req: http.IncomingMessage, route: Route) {
    return upstreamRequestHeaders(req, {
      forwardCredentials: route.forwardCredentials,
      publicAddress: {
        scheme: this.options.publicScheme,
        port: this.options.publicPort ?? this.port,
      },
    });
  }

  /**
   * The next instance for a request, round robin, never one in `skip` (tried already) nor one
   * found down; one being checked after a failure only when nothing else is left. The turn
   * moves along the route's whole list, so an instance skipped for one request is still next
   * in line for the following one (counting among the remaining candidates only would let an
   * instance that always fails over to the same one starve another of every request).
   */
  private pick(route: Route, skip: Set<string>): string | undefined {
    const origins = route.origins;
    let checked: number | undefined;
    for (let step = 1; step <= origins.length; step++) {
      const at = (this.next + step) % origins.length;
      const origin = origins[at];
      if (skip.has(origin) || this.down.has(origin)) continue;
      if (this.checking.has(origin)) {
        checked ??= at;
        continue;
      }
      this.next = at;
      return origin;
    }
    if (checked === undefined) return undefined;
    this.next = checked;
    return origins[checked];
  }

  /** Calls `listener` with the deployment whenever the gateway marks one of its instances unhealthy. */
  onInstanceUnhealthy(listener: (deploymentId: string) => void) {
    this.unhealthyListeners.push(listener);
  }

  /**
   * Takes an instance that failed a request out of rotation at once and checks its health path.
   * One found down (its health check fails too; without a health path, when the connection
   * itself failed) is marked unhealthy in the database, without waiting for the replica that
   * holds the deployment's lease, which replaces it on its next tick. A failure the health check
   * does not confirm (an app answering 503 while its health path answers) puts it back.
   * Resolves to the problem that shows it down, if any; one check per instance at a time.
   */
  private checkInstance(
    route: Route,
    origin: string,
    failure: { connection: boolean; detail: string },
  ): Promise<string | undefined> {
    const known = this.down.get(origin);
    if (known !== undefined) return Promise.resolve(known);
    const running = this.checking.get(origin);
    if (running) return running;
    const check = (async () => {
      const { healthPath } = route;
      let problem: string | undefined;
      if (healthPath) {
        const url = instanceHealthUrl(origin, healthPath);
        let probed = await probeHealth(url);
        if (probed.problem) {
          // One failed probe may be a moment's (a connection the runtime could not open just
          // then); an instance is taken for down only when a second one fails too.
          await new Promise(resolve =>
            setTimeout(resolve, CONFIRM_PROBE_AFTER_MS),
          );
          probed = await probeHealth(url);
        }
        problem = probed.problem && `GET ${healthPath}: ${probed.problem}`;
      } else if (failure.connection) {
        problem = failure.detail;
      }
      const instanceId = route.instanceIds.get(origin);
      if (!problem || !instanceId) return problem;
      this.down.set(origin, problem);
      const reason = `The gateway could not get an answer from instance ${instanceId.slice(
        0,
        8,
      )} (${failure.detail})${
        healthPath ? ` and its health check failed (${problem})` : ''
      }; replacing it`;
      const marked = await this.store
        .markInstanceUnhealthy(instanceId, reason)
        .catch(error => {
          this.logger.warn(
            `Gateway could not mark instance ${instanceId} unhealthy: ${error}`,
          );
          return false;
        });
      if (marked) {
        this.logger.warn(`${route.label}: ${reason}`);
        for (const listener of this.unhealthyListeners) {
          listener(route.deploymentId);
        }
      }
      void this.refresh();
      return problem;
    })().finally(() => this.checking.delete(origin));
    this.checking.set(origin, check);
    return check;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const { route, path, refusal } = this.destination(req);
    if (refusal) {
      answer(res, refusal.status, refusal.title, refusal.detail);
      return;
    }
    if (!route.series) {
      await this.serve(req, res, route, path);
      return;
    }
    const counters = route.series.counters;
    const started = performance.now();
    counters.inFlight += 1;
    let status = 502;
    try {
      status = await this.serve(req, res, route, path);
    } finally {
      counters.inFlight -= 1;
      counters.observe(status, (performance.now() - started) / 1000);
    }
  }

  /** Forwards a request, first waiting for an instance when its deployment is waking. */
  private async serve(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: Route,
    path: string,
  ): Promise<number> {
    const waited = await this.awaitInstance(req, route, res);
    if (waited.refusal) {
      const { status, title, detail } = waited.refusal;
      // The body of a refused held request was never read: close rather than read it.
      answer(res, status, title, detail, { connection: 'close' });
      return status;
    }
    return this.forward(req, res, waited.route, path);
  }

  /**
   * The route to use once an instance is ready: at once when one is or when the deployment is
   * not waking; otherwise after holding the request, or a refusal that says why it waited in
   * vain. `client` closes when the client goes away.
   */
  private async awaitInstance(
    req: http.IncomingMessage,
    route: Route,
    client: NodeJS.EventEmitter,
  ): Promise<
    | { route: Route; refusal?: undefined }
    | { refusal: Refusal; route?: undefined }
  > {
    if (
      route.origins.length > 0 ||
      !this.wakes.holds(route.deploymentId, route.scaledToZero)
    ) {
      return { route };
    }
    const gone = new AbortController();
    const onClose = () => gone.abort();
    client.once('close', onClose);
    let outcome: HoldOutcome;
    try {
      outcome = await this.wakes.hold(
        route.deploymentId,
        () => (this.route(req)?.origins.length ?? 1) > 0,
        gone.signal,
      );
    } finally {
      client.off('close', onClose);
    }
    const latest = this.route(req);
    if (outcome === 'ready' && latest) return { route: latest };
    if (outcome === 'ready') {
      return {
        refusal: {
          status: 404,
          title: 'No such deployment',
          detail: `Nothing is deployed at ${req.headers.host}.`,
        },
      };
    }
    return { refusal: wakeRefusal(outcome, route, this.wakes.timeoutSeconds) };
  }

  /**
   * Sends a request to an instance of `route` and its answer back; resolves to the status sent.
   * A request safe to repeat (an idempotent method with its whole body in hand) that meets a
   * connection error or a 502 or 503 goes to another instance, up to {@link MAX_ATTEMPTS} in
   * all; nothing is retried once any byte of the answer has gone to the client.
   */
  private async forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: Route,
    path: string,
  ): Promise<number> {
    const method = req.method ?? 'GET';
    const body = await requestBody(req, method);
    // A request is tried on another instance only when repeating it is safe and possible.
    const retryable = IDEMPOTENT.has(method) && body.replayable;
    const notRetried = retryable
      ? `It failed on ${MAX_ATTEMPTS} instances.`
      : `The ${method} request was not retried on another instance, since sending it again could apply it twice. Send it again if that is safe.`;
    const tried = new Set<string>();
    let current = route;
    let refreshed = false;
    let triedTwice = false;
    /**
     * Whether to send the request again to `target`, the only instance left, which just failed
     * on the way there (a connection error or a 502): once, when its health check passes.
     */
    const sameAgain = async (target: string, check: Promise<unknown>) => {
      if (
        !retryable ||
        triedTwice ||
        current.origins.some(o => !tried.has(o) && !this.down.has(o)) ||
        (await check) !== undefined
      )
        return false;
      triedTwice = true;
      tried.delete(target);
      return true;
    };
    for (;;) {
      let target = this.pick(current, tried);
      if (!target && !refreshed && (tried.size > 0 || this.refreshing)) {
        // Every known instance failed, or a change is being loaded (an instance that just became
        // ready): the routes may be stale; look again once.
        refreshed = true;
        await this.refresh();
        current = this.route(req) ?? current;
        target = this.pick(current, tried);
      }
      if (!target) {
        answer(
          res,
          503,
          'No instance is ready',
          `${route.label} has no ready instance right now (${route.status}). Try again in a moment.`,
        );
        return 503;
      }
      tried.add(target);
      const instance = current.instanceCounters.get(target);
      const attemptStarted = performance.now();
      const again = retryable && tried.size < MAX_ATTEMPTS;
      let upstream: Dispatcher.ResponseData;
      try {
        // The instance's origin followed by the checked path: never resolved against the target.
        upstream = await request(`${target}${path}`, {
          dispatcher: this.dispatcherFor(target),
          method: method as Dispatcher.HttpMethod,
          headers: this.forwardedHeaders(req, current),
          body: body.content,
          headersTimeout: this.answerTimeoutMs,
          bodyTimeout: 0,
        });
      } catch (error) {
        if (route.series) route.series.counters.connectionErrors += 1;
        if (instance) instance.connectionErrors += 1;
        if (isHeadersTimeout(error)) {
          // The instance took the request and is slow to answer: that is the app's own pace,
          // not an instance down. Retrying would put the same slow request on every instance,
          // and marking it would let anyone who can reach a slow endpoint get instances replaced.
          answer(
            res,
            504,
            'The instance did not answer in time',
            `${
              route.label
            }: the instance took the request but sent no answer within ${
              this.answerTimeoutMs / 1000
            } s. It was not retried on another instance.`,
          );
          return 504;
        }
        const check = this.checkInstance(current, target, {
          connection: true,
          detail: String(error),
        });
        if (again || (await sameAgain(target, check))) continue;
        answer(
          res,
          502,
          'The instance failed',
          `${route.label}: the instance did not answer (${error}). ${notRetried}`,
        );
        return 502;
      }
      const status = upstream.statusCode;
      if (UNAVAILABLE.has(status)) {
        const check = this.checkInstance(current, target, {
          connection: false,
          detail: `it answered ${status}`,
        });
        // The answer is dropped only for another attempt, or for the gateway's own page when the
        // instance proved down (the runtime answered, not the app).
        const retry =
          (again &&
            current.origins.some(o => !tried.has(o) && !this.down.has(o))) ||
          (status === 502 && (await sameAgain(target, check)));
        const drop =
          retry || (!again && !retryable && (await check) !== undefined);
        if (drop) {
          instance?.observe(
            status,
            (performance.now() - attemptStarted) / 1000,
          );
          await upstream.body.dump().catch(() => undefined);
          if (retry) continue;
          answer(
            res,
            502,
            'The instance failed',
            `${
              route.label
            }: the instance that got this request is down (${await check}). ${notRetried}`,
          );
          return 502;
        }
      }
      try {
        res.writeHead(status, downstreamResponseHeaders(upstream.headers));
        for await (const chunk of upstream.body) {
          res.write(chunk);
        }
        res.end();
      } catch (error) {
        // Part of the answer has gone to the client: it is cut short, never retried.
        if (route.series) route.series.counters.connectionErrors += 1;
        if (instance) instance.connectionErrors += 1;
        res.destroy();
        return status;
      }
      instance?.observe(status, (performance.now() - attemptStarted) / 1000);
      return status;
    }
  }

  private async handleUpgrade(
    req: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ) {
    const destination = this.destination(req);
    if (destination.refusal) {
      const { status, title, detail } = destination.refusal;
      answerSocket(socket, status, title, detail);
      return;
    }
    let route = destination.route;
    const path = destination.path;
    const waited = await this.awaitInstance(req, route, socket);
    if (waited.refusal) {
      const { status, title, detail } = waited.refusal;
      answerSocket(socket, status, title, detail);
      return;
    }
    route = waited.route;
    const target = this.pick(route, new Set());
    if (!target) {
      answerSocket(
        socket,
        503,
        'No instance is ready',
        `${route.label} has no ready instance right now (${route.status}).`,
      );
      return;
    }
    try {
      const protocol = req.headers.upgrade ?? 'websocket';
      const upstream = await upgrade(`${target}${path}`, {
        dispatcher: this.dispatcherFor(target),
        method: 'GET',
        // undici sets `connection` and `upgrade` itself (and refuses them as headers).
        headers: this.forwardedHeaders(req, route),
        protocol,
      });
      const lines = [
        'HTTP/1.1 101 Switching Protocols',
        'connection: Upgrade',
        `upgrade: ${upstream.headers.upgrade ?? protocol}`,
      ];
      for (const [name, value] of Object.entries(
        downstreamResponseHeaders(upstream.headers),
      )) {
        for (const v of Array.isArray(value) ? value : [value]) {
          lines.push(`${name}: ${v}`);
        }
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.socket.write(head);
      upstream.socket.pipe(socket).pipe(upstream.socket);
      upstream.socket.on('error', () => socket.destroy());
      socket.on('error', () => upstream.socket.destroy());
    } catch (error) {
      answerSocket(
        socket,
        502,
        'The instance failed',
        `${route.label}: ${error}`,
      );
    }
  }
}

/**
 * What to send upstream as the body: nothing, the whole body read into memory (an idempotent
 * request of known, modest size, which a retry can send again), or the request stream itself.
 */
async function requestBody(
  req: http.IncomingMessage,
  method: string,
): Promise<{ content?: Buffer | http.IncomingMessage; replayable: boolean }> {
  const length = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (
    method === 'GET' ||
    method === 'HEAD' ||
    (!chunked && (length === undefined || length === '0'))
  ) {
    return { replayable: true };
  }
  if (
    IDEMPOTENT.has(method) &&
    !chunked &&
    Number(length) <= MAX_REPLAYABLE_BODY
  ) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return { content: Buffer.concat(chunks), replayable: true };
  }
  return { content: req, replayable: false };
}

/** The gateway's own answer: a small page that says what happened and why. */
function page(title: string, detail: string): string {
  const escape = (s: string) =>
    s.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`);
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${escape(
      title,
    )}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto">` +
    `<h1>${escape(title)}</h1><p>${escape(
      detail,
    )}</p><p><small>CodeRunner gateway</small></p></body></html>`
  );
}

/** Why a request held for a waking deployment gets the gateway's page instead. */
function wakeRefusal(
  outcome: Exclude<HoldOutcome, 'ready'>,
  route: Route,
  timeoutSeconds: number,
): Refusal {
  switch (outcome) {
    case 'timeout':
      return {
        status: 503,
        title: 'The app is starting',
        detail: `${route.label} was scaled to zero and is starting an instance, which was not ready within ${timeoutSeconds} s. Reload this page in a few seconds.`,
      };
    case 'full':
      return {
        status: 503,
        title: 'The app is starting',
        detail: `${route.label} is starting an instance and too many requests are already waiting for it. Try again in a few seconds.`,
      };
    case 'failed':
      return {
        status: 503,
        title: 'The app could not be started',
        detail: `CodeRunner could not start an instance of ${route.label}. Try again in a moment.`,
      };
    default:
      // The client went away: nobody reads this answer.
      return { status: 499, title: 'Client closed the request', detail: '' };
  }
}

function answer(
  res: http.ServerResponse,
  status: number,
  title: string,
  detail: string,
  headers: http.OutgoingHttpHeaders = {},
) {
  if (res.destroyed) return;
  // Only an unavailable app is worth trying again.
  const retry = status >= 500 ? { 'retry-after': '5' } : {};
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    ...retry,
    ...headers,
  });
  res.end(page(title, detail));
}

/** {@link answer} on a connection Node has handed over (an upgrade or CONNECT request). */
function answerSocket(
  socket: Duplex,
  status: number,
  title: string,
  detail: string,
) {
  const body = page(title, detail);
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: text/html; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(
        body,
      )}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** undici gave up waiting for the answer's headers: the request reached an instance that is up. */
function isHeadersTimeout(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'UND_ERR_HEADERS_TIMEOUT'
  );
}
