import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AgentSphereEndpoint,
  CommandResult,
  CreateSandboxOptions,
  ListSandboxesFilter,
  OpenTerminalOptions,
  ProcessExit,
  ProcessHandle,
  ProcessListeners,
  ProcessSignal,
  RunCommandOptions,
  SandboxFile,
  SandboxInfo,
  SandboxKeepAlive,
  SandboxProcess,
  SandboxResourceUsage,
  SandboxRuntime,
  StartProcessOptions,
  TerminalHandle,
} from '@coderunner/plugin-coderunner-node';
import {
  ApiClient,
  CommandExitError,
  CommandHandle,
  ConnectionConfig,
  Sandbox,
} from 'agentsphere-sandbox-base';
import { AgentSphereError } from './AgentSphereError';
import { CallStatistics } from './CallStatistics';
import { CircuitBreaker } from './CircuitBreaker';
import {
  CallContext,
  ResilientCaller,
  RetryPolicy,
  translateError,
} from './resilientCall';

/**
 * Options for {@link AgentSphereRuntime.create}.
 *
 * @public
 */
export interface AgentSphereRuntimeOptions {
  logger: LoggerService;
  apiKey: string;
  /** `agentsphere.run` by default. */
  domain?: string;
  /** `base` by default. */
  defaultTemplate?: string;
  /** A sandbox's lifetime at creation and at each extension; 300 by default. */
  sandboxLifetimeSeconds?: number;
  /** How often kept-alive sandboxes are extended; 60 by default. */
  keepAliveIntervalSeconds?: number;
  /** Deadline for each attempt of each call; 30 000 by default. */
  requestTimeoutMs?: number;
  /** Deadline for {@link AgentSphereRuntime.runCommand} when the caller gives none; 60 000 by default. */
  commandTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  circuitBreaker?: { failureThreshold?: number; resetAfterMs?: number };
}

const CONFIG_KEY = 'coderunner.agentsphere';

/** Posix-joins paths inside a sandbox. */
const sandboxPath = path.posix;

/**
 * A {@link @coderunner/plugin-coderunner-node#SandboxRuntime} on AgentSphere,
 * through its published SDK (`agentsphere-sandbox-base`).
 *
 * @public
 */
export class AgentSphereRuntime implements SandboxRuntime {
  private readonly caller: ResilientCaller;
  private readonly breaker: CircuitBreaker;
  /** Every call's outcome and duration, read by the metrics capability. */
  readonly calls = new CallStatistics();
  private readonly keepAlives = new Map<string, number>();
  private readonly connected = new Map<string, Sandbox>();
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private readonly domain: string;
  private readonly defaultTemplate: string;
  private readonly lifetimeSeconds: number;
  private readonly keepAliveIntervalMs: number;
  private readonly requestTimeoutMs: number;
  private readonly commandTimeoutMs: number;

  /**
   * Reads `coderunner.agentsphere`; without an API key, every call fails saying which key to set.
   * With `endpoint` (a module's choice, for example the local emulator), its domain and key
   * replace `coderunner.agentsphere.domain` and `apiKey`, and the rest still comes from config.
   */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService; endpoint?: AgentSphereEndpoint },
  ): AgentSphereRuntime {
    const block = config.getOptionalConfig(CONFIG_KEY);
    const retry = block?.getOptionalConfig('retry');
    const breaker = block?.getOptionalConfig('circuitBreaker');
    return new AgentSphereRuntime({
      logger: options.logger,
      apiKey:
        options.endpoint?.apiKey ?? block?.getOptionalString('apiKey') ?? '',
      domain: options.endpoint?.domain ?? block?.getOptionalString('domain'),
      defaultTemplate: block?.getOptionalString('defaultTemplate'),
      sandboxLifetimeSeconds: block?.getOptionalNumber(
        'sandboxLifetimeSeconds',
      ),
      keepAliveIntervalSeconds: block?.getOptionalNumber(
        'keepAliveIntervalSeconds',
      ),
      requestTimeoutMs: block?.getOptionalNumber('requestTimeoutMs'),
      commandTimeoutMs: block?.getOptionalNumber('commandTimeoutMs'),
      retry: {
        maxAttempts: retry?.getOptionalNumber('maxAttempts'),
        initialDelayMs: retry?.getOptionalNumber('initialDelayMs'),
        maxDelayMs: retry?.getOptionalNumber('maxDelayMs'),
      },
      circuitBreaker: {
        failureThreshold: breaker?.getOptionalNumber('failureThreshold'),
        resetAfterMs: breaker?.getOptionalNumber('resetAfterMs'),
      },
    });
  }

  /** A runtime with explicit options, for example pointed at the emulator's domain. */
  static create(options: AgentSphereRuntimeOptions): AgentSphereRuntime {
    return new AgentSphereRuntime(options);
  }

  private constructor(private readonly options: AgentSphereRuntimeOptions) {
    this.domain = options.domain ?? 'agentsphere.run';
    this.defaultTemplate = options.defaultTemplate ?? 'base';
    this.lifetimeSeconds = options.sandboxLifetimeSeconds ?? 300;
    this.keepAliveIntervalMs = (options.keepAliveIntervalSeconds ?? 60) * 1000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 60_000;
    const retry = options.retry ?? {};
    const breaker = options.circuitBreaker ?? {};
    this.breaker = new CircuitBreaker({
      failureThreshold: breaker.failureThreshold ?? 5,
      resetAfterMs: breaker.resetAfterMs ?? 30_000,
    });
    this.caller = new ResilientCaller({
      logger: options.logger,
      callTimeoutMs: this.requestTimeoutMs,
      retry: {
        maxAttempts: retry.maxAttempts ?? 4,
        initialDelayMs: retry.initialDelayMs ?? 1000,
        maxDelayMs: retry.maxDelayMs ?? 8000,
      },
      breaker: this.breaker,
      statistics: this.calls,
    });
  }

  /** `open` or `half-open` while recent calls failed so often that calls are paused. */
  get circuitState(): 'closed' | 'open' | 'half-open' {
    return this.breaker.state;
  }

  /** The SDK's connection options for every call. */
  private get connection() {
    if (!this.options.apiKey) {
      throw new AgentSphereError(
        'not-configured',
        `AgentSphere is not configured: set ${CONFIG_KEY}.apiKey in app-config, or, for local development, add @coderunner/plugin-coderunner-backend-module-agentsphere-emulator to the backend to run sandboxes on the local emulator`,
      );
    }
    return {
      apiKey: this.options.apiKey,
      domain: this.domain,
      requestTimeoutMs: this.requestTimeoutMs,
    };
  }

  private call<T>(
    description: string,
    attempt: () => Promise<T>,
    context: CallContext = {},
    options?: { retry?: boolean },
  ): Promise<T> {
    return this.caller
      .call(description, attempt, context, options)
      .catch((error: AgentSphereError) => {
        if (error.kind === 'not-found' && context.sandboxId) {
          // Forget a sandbox AgentSphere says is gone.
          this.connected.delete(context.sandboxId);
          this.keepAlives.delete(context.sandboxId);
        }
        throw error;
      });
  }

  /** The SDK's handle on a sandbox, looked up once and then reused. */
  private async sandbox(sandboxId: string): Promise<Sandbox> {
    const known = this.connected.get(sandboxId);
    if (known) {
      return known;
    }
    const sandbox = await this.call(
      `looking up sandbox ${sandboxId}`,
      () => Sandbox.connect(sandboxId, this.connection),
      { sandboxId },
    );
    this.connected.set(sandboxId, sandbox);
    return sandbox;
  }

  async createSandbox(options: CreateSandboxOptions): Promise<SandboxInfo> {
    const template = options.template ?? this.defaultTemplate;
    const lifetimeSeconds = options.lifetimeSeconds ?? this.lifetimeSeconds;
    const metadata = options.metadata ?? {};
    const sandbox = await this.call(
      `creating a sandbox from template '${template}'`,
      () =>
        Sandbox.create(template, {
          ...this.connection,
          envs: options.envs,
          metadata,
          timeoutMs: lifetimeSeconds * 1000,
          // envd then answers only requests carrying the sandbox's own access token.
          secure: true,
        }),
      { template },
    );
    this.connected.set(sandbox.sandboxId, sandbox);
    const startedAt = new Date();
    return {
      sandboxId: sandbox.sandboxId,
      templateId: template,
      metadata,
      startedAt,
      endAt: new Date(startedAt.getTime() + lifetimeSeconds * 1000),
    };
  }

  async uploadFiles(
    sandboxId: string,
    files: SandboxFile[],
    options?: { directory?: string },
  ): Promise<void> {
    const sandbox = await this.sandbox(sandboxId);
    const directory = options?.directory ?? '/home/user';
    const entries = files.map(file => ({
      path: sandboxPath.resolve(directory, file.path),
      data:
        typeof file.content === 'string'
          ? file.content
          : (file.content.buffer.slice(
              file.content.byteOffset,
              file.content.byteOffset + file.content.byteLength,
            ) as ArrayBuffer),
    }));
    const batchSize = 100;
    for (let i = 0; i < entries.length; i += batchSize) {
      const batch = entries.slice(i, i + batchSize);
      await this.call(
        `uploading ${batch.length} files to sandbox ${sandboxId}`,
        () => sandbox.files.write(batch),
        { sandboxId },
      );
    }
  }

  async runCommand(
    sandboxId: string,
    command: string,
    options?: RunCommandOptions,
  ): Promise<CommandResult> {
    const sandbox = await this.sandbox(sandboxId);
    const timeoutMs = options?.timeoutMs ?? this.commandTimeoutMs;
    const handle = await this.call(
      `starting a command in sandbox ${sandboxId}`,
      () =>
        sandbox.commands.run(command, {
          background: true,
          cwd: options?.cwd,
          envs: options?.envs,
          timeoutMs,
        }),
      { sandboxId },
    );
    const killedAfter = `killed after ${
      timeoutMs / 1000
    } s, the longest a command may run`;
    try {
      const result = await handle.wait();
      return {
        exitCode: result.exitCode,
        stdout: result.stdout,
        stderr: result.stderr,
      };
    } catch (error) {
      if (error instanceof CommandExitError) {
        const killedByDeadline =
          error.exitCode === -1 && error.error === 'signal: killed';
        return {
          exitCode: error.exitCode,
          stdout: error.stdout,
          stderr: error.stderr,
          ...(error.error && {
            error: killedByDeadline
              ? `${error.error} (${killedAfter})`
              : error.error,
          }),
        };
      }
      const failure = translateError(error, { sandboxId });
      if (failure.kind === 'timeout') {
        // The deadline passed on our side first; the daemon kills the process at the same moment.
        return {
          exitCode: -1,
          stdout: handle.stdout,
          stderr: handle.stderr,
          error: killedAfter,
        };
      }
      throw failure;
    }
  }

  async startProcess(
    sandboxId: string,
    command: string,
    options?: StartProcessOptions,
  ): Promise<ProcessHandle> {
    const sandbox = await this.sandbox(sandboxId);
    const handle = await this.call(
      `starting a process in sandbox ${sandboxId}`,
      () =>
        sandbox.commands.run(command, {
          background: true,
          cwd: options?.cwd,
          envs: options?.envs,
          // 0 turns off the SDK's default 60 s deadline, which would kill the process.
          timeoutMs: 0,
          ...outputCallbacks(options),
        }),
      { sandboxId },
    );
    return processHandle(handle, sandboxId);
  }

  async attachProcess(
    sandboxId: string,
    pid: number,
    listeners?: ProcessListeners,
  ): Promise<ProcessHandle> {
    const sandbox = await this.sandbox(sandboxId);
    const handle = await this.call(
      `attaching to process ${pid} in sandbox ${sandboxId}`,
      () =>
        sandbox.commands.connect(pid, {
          timeoutMs: 0,
          ...outputCallbacks(listeners),
        }),
      { sandboxId },
    );
    return processHandle(handle, sandboxId);
  }

  async listProcesses(sandboxId: string): Promise<SandboxProcess[]> {
    const sandbox = await this.sandbox(sandboxId);
    const processes = await this.call(
      `listing the processes of sandbox ${sandboxId}`,
      () => sandbox.commands.list(),
      { sandboxId },
    );
    return processes.map(process => ({
      pid: process.pid,
      cmd: process.cmd,
      args: process.args,
      ...(process.cwd && { cwd: process.cwd }),
    }));
  }

  async signalProcess(
    sandboxId: string,
    pid: number,
    signal: ProcessSignal,
  ): Promise<boolean> {
    const sandbox = await this.sandbox(sandboxId);
    if (signal === 'SIGKILL') {
      return this.call(
        `killing process ${pid} in sandbox ${sandboxId}`,
        () => sandbox.commands.kill(pid),
        { sandboxId },
      );
    }
    // The SDK can only send SIGKILL; SIGTERM goes through the sandbox's own `kill`.
    const processes = await this.listProcesses(sandboxId);
    if (!processes.some(process => process.pid === pid)) {
      return false;
    }
    const result = await this.runCommand(
      sandboxId,
      `kill -TERM -- -${pid} 2>/dev/null || kill -TERM ${pid}`,
    );
    return result.exitCode === 0;
  }

  /** A login shell on a PTY through the SDK's `sandbox.pty` (create, sendInput, resize, kill). */
  async openTerminal(
    sandboxId: string,
    options: OpenTerminalOptions,
  ): Promise<TerminalHandle> {
    const sandbox = await this.sandbox(sandboxId);
    // Not retried: a retry after a lost answer would leave a second shell running.
    const handle = await this.call(
      `opening a terminal in sandbox ${sandboxId}`,
      () =>
        sandbox.pty.create({
          cols: options.cols,
          rows: options.rows,
          cwd: options.cwd,
          // The daemon kills the shell when this deadline passes (60 s when left out).
          timeoutMs: options.maxDurationMs,
          onData: data => options.onData(data),
        }),
      { sandboxId },
      { retry: false },
    );
    const pid = handle.pid;
    // Keystrokes are separate calls: chained, so that they arrive in the order typed.
    let typed: Promise<void> = Promise.resolve();
    const exit = processHandle(handle, sandboxId)
      .wait()
      .catch(
        (error: Error): ProcessExit => ({
          pid,
          exitCode: -1,
          error: error.message,
        }),
      );
    return {
      pid,
      write: data => {
        const next = typed.then(() =>
          this.call(
            `typing into the terminal in sandbox ${sandboxId}`,
            () => sandbox.pty.sendInput(pid, data),
            { sandboxId },
            { retry: false },
          ),
        );
        typed = next.catch(() => undefined);
        return next;
      },
      resize: async size => {
        await this.call(
          `resizing the terminal in sandbox ${sandboxId}`,
          () => sandbox.pty.resize(pid, size),
          { sandboxId },
          { retry: false },
        );
      },
      wait: () => exit,
      kill: async () => {
        await this.call(
          `closing the terminal in sandbox ${sandboxId}`,
          () => sandbox.pty.kill(pid),
          { sandboxId },
        );
      },
    };
  }

  async killSandbox(sandboxId: string): Promise<boolean> {
    this.keepAlives.delete(sandboxId);
    this.connected.delete(sandboxId);
    return this.call(
      `killing sandbox ${sandboxId}`,
      () => Sandbox.kill(sandboxId, this.connection),
      { sandboxId },
    );
  }

  async listSandboxes(filter?: ListSandboxesFilter): Promise<SandboxInfo[]> {
    const sandboxes = await this.call('listing sandboxes', () =>
      Sandbox.list({
        ...this.connection,
        ...(filter?.metadata && { query: { metadata: filter.metadata } }),
      }),
    );
    return sandboxes.map(sandbox => ({
      sandboxId: sandbox.sandboxId,
      templateId: sandbox.templateId,
      metadata: sandbox.metadata ?? {},
      startedAt: sandbox.startedAt,
      endAt: sandbox.endAt,
    }));
  }

  async extendLifetime(
    sandboxId: string,
    lifetimeSeconds?: number,
  ): Promise<void> {
    const seconds = lifetimeSeconds ?? this.lifetimeSeconds;
    await this.call(
      `extending sandbox ${sandboxId} by ${seconds} s`,
      () => Sandbox.setTimeout(sandboxId, seconds * 1000, this.connection),
      { sandboxId },
    );
  }

  keepAlive(sandboxId: string): SandboxKeepAlive {
    const token = Math.random();
    this.keepAlives.set(sandboxId, token);
    this.keepAliveTimer ??= setInterval(
      () => this.extendKeptAlive(),
      this.keepAliveIntervalMs,
    );
    this.keepAliveTimer.unref();
    return {
      stop: () => {
        if (this.keepAlives.get(sandboxId) === token) {
          this.keepAlives.delete(sandboxId);
        }
      },
    };
  }

  private async extendKeptAlive() {
    for (const sandboxId of [...this.keepAlives.keys()]) {
      try {
        await this.extendLifetime(sandboxId);
      } catch (error) {
        const failure = translateError(error, { sandboxId });
        if (failure.kind === 'not-found') {
          this.keepAlives.delete(sandboxId);
        }
        this.options.logger.warn(
          `Could not extend the lifetime of sandbox ${sandboxId}: ${failure.message}`,
        );
      }
    }
  }

  getPortUrl(sandboxId: string, port: number): string {
    return `https://${port}-${sandboxId}.${this.domain}`;
  }

  async getResourceUsage(
    sandboxId: string,
  ): Promise<SandboxResourceUsage | undefined> {
    const client = new ApiClient(new ConnectionConfig(this.connection));
    const metrics = await this.call(
      `reading the resource usage of sandbox ${sandboxId}`,
      async () => {
        const res = await client.api.GET('/sandboxes/{sandboxID}/metrics', {
          params: { path: { sandboxID: sandboxId } },
          signal: AbortSignal.timeout(this.requestTimeoutMs),
        });
        if (res.response.status === 404 || res.response.status === 501) {
          return undefined;
        }
        if (res.error) {
          const message =
            (res.error as { message?: string }).message ??
            res.response.statusText;
          throw Object.assign(new Error(`${res.response.status}: ${message}`), {
            name: 'SandboxError',
          });
        }
        return res.data;
      },
      { sandboxId },
    );
    const latest = metrics?.[metrics.length - 1];
    if (!latest) {
      return undefined;
    }
    return {
      timestamp: new Date(latest.timestamp),
      cpuCount: latest.cpuCount,
      cpuUsedPercent: latest.cpuUsedPct,
      memoryUsedMiB: latest.memUsedMiB,
      memoryTotalMiB: latest.memTotalMiB,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
    this.keepAlives.clear();
  }
}

/**
 * The output callbacks of a long-running process (an app, or a replica attached to one).
 * The SDK calls them as methods of the CommandHandle (`this.onStdout(data)`), so `this.pid` is
 * known even for output that arrives before the handle is returned.
 *
 * The handle also appends every chunk to strings of its own (`handle.stdout`/`stderr`, for the
 * command's result) for as long as it is attached: an app that runs for weeks would keep all of
 * its output in the backend's memory. The listener (and the log store behind it) has the
 * output, and a process's exit is read from its exit code alone, so each callback empties the
 * handle's copy. `runCommand` keeps it: its commands end within their deadline.
 */
function outputCallbacks(listeners?: ProcessListeners) {
  const onOutput = listeners?.onOutput;
  return {
    onStdout(this: CommandHandle, data: string) {
      // Private in the SDK's types: element access is how TypeScript lets us reach it.
      // eslint-disable-next-line dot-notation
      this['_stdout'] = '';
      onOutput?.({ pid: this.pid, stream: 'stdout', data });
    },
    onStderr(this: CommandHandle, data: string) {
      // eslint-disable-next-line dot-notation
      this['_stderr'] = '';
      onOutput?.({ pid: this.pid, stream: 'stderr', data });
    },
  };
}

function processHandle(
  handle: CommandHandle,
  sandboxId: string,
): ProcessHandle {
  return {
    pid: handle.pid,
    async wait(): Promise<ProcessExit> {
      try {
        const result = await handle.wait();
        return { pid: handle.pid, exitCode: result.exitCode };
      } catch (error) {
        if (error instanceof CommandExitError) {
          return {
            pid: handle.pid,
            exitCode: error.exitCode,
            ...(error.error && { error: error.error }),
          };
        }
        throw new AgentSphereError(
          'unavailable',
          `lost the connection to process ${
            handle.pid
          } in sandbox ${sandboxId}; it may still be running: ${
            (error as Error).message
          }`,
          { cause: error },
        );
      }
    },
    detach() {
      handle.disconnect();
    },
  };
}
