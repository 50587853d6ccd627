import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { CodeRunnerManifest } from '@coderunner/plugin-coderunner-common';
import {
  ProcessExit,
  ProcessHandle,
  SandboxKeepAlive,
  SandboxRuntime,
} from '@coderunner/plugin-coderunner-node';
import {
  DeploymentRecord,
  DeploymentStore,
  InstanceRecord,
  LeaseFence,
  LeaseLostError,
  ReleaseRecord,
} from '../deployments/DeploymentStore';
import { LogWriter } from '../logs/LogWriter';
import {
  APP_DIR,
  APP_DIR_IN_SHELL,
  DEPLOYMENT_ID_KEY,
  INSTANCE_ID_KEY,
  RELEASE_ID_KEY,
  ROLE_KEY,
  SANDBOX_OWNER,
  SANDBOX_OWNER_KEY,
} from './sandboxMetadata';
import {
  noReleaseConfig,
  ReleaseConfigProvider,
} from './ReleaseConfigProvider';
import { STATIC_PORT, STATIC_SERVER_SOURCE } from './staticServer';
import { instanceHealthUrl, probeHealth, watchLiveness } from './HealthProber';
import {
  CAPTURE_SCRIPT_PATH,
  CAPTURE_SCRIPT_SOURCE,
  CAPTURED_TEST,
  CapturedOutputParser,
  captureCommand,
  DEFAULT_BUFFER_BYTES,
  followCommand,
  OutputStream,
} from './capturedOutput';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** How long an adopted instance's follower may take to read the buffer's end after the app exited. */
const FOLLOWER_DRAIN_MS = 10_000;

/** How an instance's process is started and checked, derived from its release's manifest. */
export interface LaunchPlan {
  command: string;
  port?: number;
  healthPath?: string;
  healthTimeoutMs: number;
  healthIntervalMs: number;
  /** How a ready instance keeps being checked; absent for workers. */
  liveness?: { intervalMs: number; failureThreshold: number };
  envs: Record<string, string>;
  template: string;
}

export function planLaunch(
  manifest: CodeRunnerManifest,
  context: {
    releaseNumber: number;
    environment: string;
    instanceId: string;
    config?: Record<string, string>;
  },
): LaunchPlan {
  const envs: Record<string, string> = {
    ...manifest.env,
    ...context.config,
    CODERUNNER_RELEASE: String(context.releaseNumber),
    CODERUNNER_ENVIRONMENT: context.environment,
    CODERUNNER_INSTANCE_ID: context.instanceId,
  };
  const base = {
    envs,
    template: manifest.runtime.template,
    healthIntervalMs: 500,
  };
  if (manifest.kind === 'service') {
    envs.PORT = String(manifest.run.port);
    return {
      ...base,
      command: manifest.run.command,
      port: manifest.run.port,
      healthPath: manifest.run.health.path,
      healthTimeoutMs: manifest.run.health.timeoutSeconds * 1000,
      healthIntervalMs: Math.max(
        manifest.run.health.intervalSeconds * 1000,
        250,
      ),
      liveness: {
        intervalMs: manifest.run.health.intervalSeconds * 1000,
        // Releases recorded before the field existed have none.
        failureThreshold: manifest.run.health.failureThreshold ?? 3,
      },
    };
  }
  if (manifest.kind === 'static') {
    envs.PORT = String(STATIC_PORT);
    envs.CODERUNNER_STATIC_DIR = manifest.static.dir;
    envs.CODERUNNER_STATIC_SPA = String(manifest.static.spa);
    return {
      ...base,
      command: 'node "$HOME/.coderunner/static-server.js"',
      port: STATIC_PORT,
      healthPath: '/',
      healthTimeoutMs: 30_000,
      liveness: { intervalMs: 10_000, failureThreshold: 3 },
    };
  }
  return { ...base, command: manifest.run.command, healthTimeoutMs: 0 };
}

/** What the runner tells the orchestrator about an instance. */
export interface InstanceEvents {
  onReady(instanceId: string): void;
  onExit(
    instanceId: string,
    exit: ProcessExit | undefined,
    reason: string,
  ): void;
  /** A ready instance failed its health check too many times in a row (probing has stopped). */
  onUnhealthy(instanceId: string, reason: string): void;
}

/** An instance this replica watches, and the lease it acts under (every write carries it). */
type Tracked = {
  fence: LeaseFence;
  handle?: ProcessHandle;
  /** After a takeover: the process in the sandbox that reads the output buffer on from the stored offsets. */
  follower?: ProcessHandle;
  keepAlive?: SandboxKeepAlive;
  liveness?: { stop(): void };
  stopping?: boolean;
  /** stop() was called (not a detach): the sandbox goes, even one recorded after stop() read the instance. */
  killed?: boolean;
};

/**
 * Starts, watches and stops instances: one sandbox each, started from the release's built
 * artifact, kept alive while wanted, ready once its health path answers.
 *
 * @internal
 */
export class InstanceRunner {
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly runtime: SandboxRuntime,
    private readonly store: DeploymentStore,
    private readonly logger: LoggerService,
    private readonly events: InstanceEvents,
    private readonly config: ReleaseConfigProvider = noReleaseConfig,
    /**
     * Bytes of each output stream (stdout, stderr) an instance's sandbox keeps for a replica that
     * takes the instance over; what a takeover finds rotated out is stored as a gap marker.
     */
    private readonly outputBufferBytes = DEFAULT_BUFFER_BYTES,
  ) {}

  /** Whether this replica watches the instance's process. */
  isTracked(instanceId: string) {
    return this.tracked.has(instanceId);
  }

  /**
   * Starts an instance. Its sandbox is created at once, even while the release is still being
   * built, so that sandbox start-up overlaps the build; `built` resolves when the build ends
   * (false when it failed, and the instance then waits to be drained).
   */
  async start(
    deployment: DeploymentRecord,
    release: ReleaseRecord,
    instance: InstanceRecord,
    log: LogWriter,
    fence: LeaseFence,
    built: () => Promise<boolean> = async () => true,
  ): Promise<void> {
    const tracked: Tracked = { fence };
    this.tracked.set(instance.id, tracked);
    const manifest = JSON.parse(release.manifest) as CodeRunnerManifest;
    const system = {
      stream: 'system' as const,
      releaseId: release.id,
      instanceId: instance.id,
    };
    try {
      const plan = planLaunch(manifest, {
        releaseNumber: release.number,
        environment: deployment.environment,
        instanceId: instance.id,
        config: await this.config.variables(
          deployment.entityRef,
          deployment.environment,
          release.configVersion ?? undefined,
        ),
      });
      log.line(
        `Starting instance ${instance.id.slice(0, 8)} of release ${
          release.number
        }`,
        system,
      );
      const sandbox = await this.runtime.createSandbox({
        template: plan.template,
        envs: plan.envs,
        metadata: {
          [SANDBOX_OWNER_KEY]: SANDBOX_OWNER,
          [DEPLOYMENT_ID_KEY]: deployment.id,
          [INSTANCE_ID_KEY]: instance.id,
          [RELEASE_ID_KEY]: release.id,
          [ROLE_KEY]: 'instance',
        },
      });
      const sandboxId = sandbox.sandboxId;
      if (tracked.stopping) {
        // Stopped (or the backend shut down) while the sandbox was being created: record
        // nothing, so a later start of this instance is not overwritten with a dead sandbox.
        await this.runtime.killSandbox(sandboxId).catch(() => false);
        return;
      }
      tracked.keepAlive = this.runtime.keepAlive(sandboxId);
      await this.store.updateInstance(
        instance.id,
        {
          sandboxId,
          url: plan.port
            ? this.runtime.getPortUrl(sandboxId, plan.port)
            : undefined,
        },
        fence,
      );
      if (!(await built()) || tracked.stopping) {
        if (tracked.killed)
          await this.runtime.killSandbox(sandboxId).catch(() => false);
        return;
      }
      await this.store.updateInstance(
        instance.id,
        { state: 'starting' },
        fence,
      );
      const artifact = await this.store.getReleaseFile(release.id, 'artifact');
      if (!artifact) {
        throw new Error(`release ${release.number} has no built artifact`);
      }
      await this.runtime.uploadFiles(sandboxId, [
        { path: 'release.tgz', content: artifact },
        { path: '.coderunner/static-server.js', content: STATIC_SERVER_SOURCE },
        { path: CAPTURE_SCRIPT_PATH, content: CAPTURE_SCRIPT_SOURCE },
      ]);
      const unpack = await this.runtime.runCommand(
        sandboxId,
        `mkdir -p ${APP_DIR_IN_SHELL} && tar xzf release.tgz -C ${APP_DIR_IN_SHELL} && rm release.tgz`,
      );
      if (unpack.exitCode !== 0) {
        throw new Error(
          `unpacking the release failed: ${unpack.stderr.trim()}`,
        );
      }
      log.line(`$ ${plan.command}`, system);
      // The app's output goes through a buffer in the sandbox, so a takeover can read it back.
      const parser = this.outputParser(log, release.id, instance.id);
      const handle = await this.runtime.startProcess(
        sandboxId,
        captureCommand(plan.command, this.outputBufferBytes),
        {
          cwd: APP_DIR,
          envs: plan.envs,
          onOutput: o => parser.push(o.data, o.stream),
        },
      );
      tracked.handle = handle;
      await this.store.updateInstance(instance.id, { pid: handle.pid }, fence);
      this.watchExit(instance.id, handle, async () =>
        this.endOutput(log, parser, release.id, instance.id),
      );
      await this.waitUntilReady(
        instance.id,
        sandboxId,
        plan,
        tracked,
        log,
        system,
      );
    } catch (error) {
      if (error instanceof LeaseLostError) {
        // Another replica took the deployment over: it adopts or replaces this instance.
        this.forget(instance.id, tracked);
        throw error;
      }
      const reason = `Instance could not start: ${
        isError(error) ? error.message : String(error)
      }`;
      log.line(reason, system);
      if (!tracked.stopping) {
        this.events.onExit(instance.id, undefined, reason);
      }
    }
  }

  /**
   * Re-attaches to an instance started by another replica or before a restart. Resolves false
   * when its process is gone; the orchestrator then replaces the instance.
   */
  async adopt(
    instance: InstanceRecord,
    release: ReleaseRecord,
    deployment: DeploymentRecord,
    log: LogWriter,
    fence: LeaseFence,
    lastOutputAt?: Date,
  ): Promise<boolean> {
    if (!instance.sandboxId || !instance.pid) {
      return false;
    }
    const tracked: Tracked = { fence };
    this.tracked.set(instance.id, tracked);
    const sandboxId = instance.sandboxId;
    const system = {
      stream: 'system' as const,
      releaseId: release.id,
      instanceId: instance.id,
    };
    try {
      // Attached for the exit; its output is read only when the sandbox holds no buffer.
      let onOutput = (_o: { stream: OutputStream; data: string }) => {};
      const handle = await this.runtime.attachProcess(sandboxId, instance.pid, {
        onOutput: o => onOutput(o),
      });
      tracked.handle = handle;
      tracked.keepAlive = this.runtime.keepAlive(sandboxId);
      const captured = await this.runtime
        .runCommand(sandboxId, CAPTURED_TEST)
        .then(result => result.exitCode === 0)
        .catch(() => false);
      const who = `Re-attached to instance ${instance.id.slice(
        0,
        8,
      )} after a backend restart`;
      if (captured) {
        const offsets = await log.storedOffsets(instance.id);
        log.line(
          `${who}; reading what no backend stored back from the sandbox's output buffer (stdout from byte ${offsets.stdout}, stderr from byte ${offsets.stderr})`,
          system,
        );
        const parser = this.outputParser(log, release.id, instance.id, {
          offsets,
          caughtUp: () =>
            log.line(
              `Recovered ${parser.received.stdout} bytes of stdout and ${parser.received.stderr} bytes of stderr from the sandbox's output buffer; following the output live`,
              system,
            ),
        });
        tracked.follower = await this.runtime.startProcess(
          sandboxId,
          followCommand(offsets),
          { onOutput: o => parser.push(o.data, o.stream) },
        );
        const follower = tracked.follower;
        this.watchExit(instance.id, handle, async () => {
          // The follower ends once it has read the buffer to the end the app left.
          await Promise.race([
            follower.wait().catch(() => undefined),
            sleep(FOLLOWER_DRAIN_MS),
          ]);
          follower.detach();
          this.endOutput(log, parser, release.id, instance.id);
        });
      } else {
        // Started without a buffer (before it existed, or in a sandbox without Node).
        const output = (stream: OutputStream) => ({
          stream,
          releaseId: release.id,
          instanceId: instance.id,
        });
        onOutput = o => log.write(o.data, output(o.stream));
        const gap = lastOutputAt
          ? `; anything it printed after ${lastOutputAt.toISOString()} while no backend was reading its output is missing here (it was started without an output buffer in its sandbox)`
          : '; anything it printed while no backend was reading its output is missing here (it was started without an output buffer in its sandbox)';
        log.line(`${who}${gap}`, system);
        this.watchExit(instance.id, handle, async () => {
          log.end(output('stdout'));
          log.end(output('stderr'));
        });
      }
      const plan = planLaunch(
        JSON.parse(release.manifest) as CodeRunnerManifest,
        {
          releaseNumber: release.number,
          environment: deployment.environment,
          instanceId: instance.id,
        },
      );
      if (instance.state === 'ready') {
        this.watchLiveness(instance.id, sandboxId, plan, tracked);
      } else if (instance.state === 'starting') {
        void this.waitUntilReady(
          instance.id,
          sandboxId,
          plan,
          tracked,
          log,
          system,
        ).catch(error => {
          // A lost lease included: the next reconcile notices it and lets the instance go.
          this.logger.warn(
            `Watching instance ${instance.id} become ready failed: ${error}`,
          );
        });
      }
      return true;
    } catch {
      this.tracked.delete(instance.id);
      tracked.keepAlive?.stop();
      tracked.handle?.detach();
      tracked.follower?.detach();
      return false;
    }
  }

  /** Stops an instance: SIGTERM, a grace period, then the sandbox is killed. */
  async stop(
    instance: InstanceRecord,
    fence: LeaseFence,
    graceMs = 5000,
  ): Promise<void> {
    const tracked = this.tracked.get(instance.id) ?? { fence };
    tracked.stopping = true;
    tracked.killed = true;
    this.tracked.set(instance.id, tracked);
    try {
      if (instance.sandboxId && instance.pid) {
        const signalled = await this.runtime
          .signalProcess(instance.sandboxId, instance.pid, 'SIGTERM')
          .catch(() => false);
        if (signalled && tracked.handle) {
          await Promise.race([
            tracked.handle.wait().catch(() => undefined),
            new Promise(resolve => setTimeout(resolve, graceMs)),
          ]);
        }
      }
      if (instance.sandboxId) {
        await this.runtime.killSandbox(instance.sandboxId).catch(() => false);
      }
    } finally {
      tracked.keepAlive?.stop();
      tracked.liveness?.stop();
      tracked.handle?.detach();
      tracked.follower?.detach();
      this.tracked.delete(instance.id);
    }
  }

  /** Stops watching everything (backend shutdown); sandboxes keep running for adoption. */
  detachAll() {
    for (const [instanceId, tracked] of this.tracked)
      this.forget(instanceId, tracked);
  }

  /**
   * Stops watching a deployment's instances, whose lease another replica took; their
   * sandboxes keep running for that replica to adopt.
   */
  detachDeployment(deploymentId: string) {
    for (const [instanceId, tracked] of this.tracked) {
      if (tracked.fence.deploymentId === deploymentId)
        this.forget(instanceId, tracked);
    }
  }

  private forget(instanceId: string, tracked: Tracked) {
    tracked.stopping = true;
    tracked.keepAlive?.stop();
    tracked.liveness?.stop();
    tracked.handle?.detach();
    tracked.follower?.detach();
    if (this.tracked.get(instanceId) === tracked)
      this.tracked.delete(instanceId);
  }

  /** Turns the app's output (framed by the sandbox's buffer, or raw) into log lines. */
  private outputParser(
    log: LogWriter,
    releaseId: string,
    instanceId: string,
    options: {
      offsets?: { stdout: number; stderr: number };
      caughtUp?: () => void;
    } = {},
  ) {
    const source = (stream: OutputStream) => ({
      stream,
      releaseId,
      instanceId,
    });
    return new CapturedOutputParser(
      {
        line: (text, stream, offset) =>
          log.line(text, { ...source(stream), offset }),
        raw: (data, stream) => log.write(data, source(stream)),
        gap: (stream, from, to) =>
          log.line(
            `[CodeRunner] ${
              to - from
            } bytes of ${stream} are missing here: the sandbox's output buffer rotated them out before a backend stored them`,
            { ...source(stream), offset: to, level: 'warn' },
          ),
        caughtUp: options.caughtUp,
      },
      options.offsets,
    );
  }

  private endOutput(
    log: LogWriter,
    parser: CapturedOutputParser,
    releaseId: string,
    instanceId: string,
  ) {
    parser.end();
    log.end({ stream: 'stdout', releaseId, instanceId });
    log.end({ stream: 'stderr', releaseId, instanceId });
  }

  private watchExit(
    instanceId: string,
    handle: ProcessHandle,
    endOutput: () => Promise<void>,
  ) {
    handle.wait().then(
      async exit => {
        await endOutput();
        const tracked = this.tracked.get(instanceId);
        if (!tracked || tracked.stopping) {
          return;
        }
        tracked.keepAlive?.stop();
        tracked.liveness?.stop();
        this.tracked.delete(instanceId);
        this.events.onExit(
          instanceId,
          exit,
          `The process exited with code ${exit.exitCode}${
            exit.error ? ` (${exit.error})` : ''
          }`,
        );
      },
      error => {
        const tracked = this.tracked.get(instanceId);
        if (!tracked || tracked.stopping) {
          return;
        }
        // The connection to the process was lost, not necessarily the process: the next
        // reconcile re-attaches or replaces it.
        tracked.keepAlive?.stop();
        tracked.liveness?.stop();
        this.tracked.delete(instanceId);
        this.logger.warn(
          `Lost the output stream of instance ${instanceId}: ${error}`,
        );
      },
    );
  }

  /** Keeps probing a ready instance while this replica watches it (and so holds its lease). */
  private watchLiveness(
    instanceId: string,
    sandboxId: string,
    plan: LaunchPlan,
    tracked: Tracked,
  ) {
    if (!plan.port || !plan.healthPath || !plan.liveness || tracked.stopping)
      return;
    tracked.liveness?.stop();
    tracked.liveness = watchLiveness(
      {
        instanceId,
        url: instanceHealthUrl(
          this.runtime.getPortUrl(sandboxId, plan.port),
          plan.healthPath,
        ),
        path: plan.healthPath,
        ...plan.liveness,
      },
      reason => {
        if (this.tracked.get(instanceId) === tracked && !tracked.stopping) {
          this.events.onUnhealthy(instanceId, reason);
        }
      },
    );
  }

  private async waitUntilReady(
    instanceId: string,
    sandboxId: string,
    plan: LaunchPlan,
    tracked: Tracked,
    log: LogWriter,
    system: { stream: 'system'; releaseId: string; instanceId: string },
  ) {
    if (!plan.port || !plan.healthPath) {
      await this.store.updateInstance(
        instanceId,
        { state: 'ready', readyAt: new Date() },
        tracked.fence,
      );
      this.events.onReady(instanceId);
      return;
    }
    const url = instanceHealthUrl(
      this.runtime.getPortUrl(sandboxId, plan.port),
      plan.healthPath,
    );
    const deadline = Date.now() + plan.healthTimeoutMs;
    let lastProblem = 'no answer yet';
    let delay = 10;
    while (Date.now() < deadline) {
      if (tracked.stopping || !this.tracked.has(instanceId)) {
        return;
      }
      const { status, problem } = await probeHealth(url);
      if (!problem) {
        log.line(
          `Health check ${plan.healthPath} answered ${status}: ready`,
          system,
        );
        await this.store.updateInstance(
          instanceId,
          { state: 'ready', readyAt: new Date(), reason: undefined },
          tracked.fence,
        );
        this.watchLiveness(instanceId, sandboxId, plan, tracked);
        this.events.onReady(instanceId);
        return;
      }
      lastProblem = status ? `${plan.healthPath} answered ${status}` : problem;
      // Poll fast while the app is starting (10, 15, 22 … ms apart: a ready app is seen within
      // a few ms of ready, not up to a doubling later), then back off to the manifest's interval.
      await sleep(delay);
      delay = Math.min(Math.ceil(delay * 1.5), plan.healthIntervalMs);
    }
    if (tracked.stopping || !this.tracked.has(instanceId)) {
      return;
    }
    const reason = `Not ready after ${
      plan.healthTimeoutMs / 1000
    } s: ${lastProblem}`;
    log.line(reason, system);
    tracked.stopping = true;
    this.events.onExit(instanceId, undefined, reason);
  }
}
