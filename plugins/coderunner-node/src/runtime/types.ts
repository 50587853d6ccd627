/**
 * Options for {@link SandboxRuntime.createSandbox}.
 *
 * @public
 */
export interface CreateSandboxOptions {
  /** The template to start from; the runtime's default template when omitted. */
  template?: string;
  /** Environment variables every process in the sandbox sees. */
  envs?: Record<string, string>;
  /** Labels to find the sandbox again with {@link SandboxRuntime.listSandboxes}. */
  metadata?: Record<string, string>;
  /** Seconds until the sandbox is killed unless extended; the runtime's default when omitted. */
  lifetimeSeconds?: number;
}

/**
 * A sandbox as the runtime reports it.
 *
 * @public
 */
export interface SandboxInfo {
  sandboxId: string;
  templateId: string;
  metadata: Record<string, string>;
  startedAt: Date;
  /** When the service kills the sandbox unless its lifetime is extended. */
  endAt: Date;
}

/**
 * One file to upload; `path` is relative to the target directory or absolute.
 *
 * @public
 */
export interface SandboxFile {
  path: string;
  content: string | Uint8Array;
}

/**
 * Options shared by the calls that start a process.
 *
 * @public
 */
export interface ProcessOptions {
  /** Working directory; the sandbox user's home when omitted. */
  cwd?: string;
  /** Environment variables, merged over the sandbox's own. */
  envs?: Record<string, string>;
}

/**
 * Options for {@link SandboxRuntime.runCommand}.
 *
 * @public
 */
export interface RunCommandOptions extends ProcessOptions {
  /** The command is killed after this many milliseconds; the runtime's default when omitted. */
  timeoutMs?: number;
}

/**
 * The outcome of a command run to completion. A non-zero exit code is a
 * result, not an error.
 *
 * @public
 */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The service's explanation when the process did not exit normally, for example `signal: killed`. */
  error?: string;
}

/**
 * A chunk of a process's output, in the order the process wrote it on that stream.
 *
 * `data` is a UTF-8 decoded string exactly as the service delivered it: one chunk
 * may hold several lines or part of one, so split lines downstream.
 *
 * @public
 */
export interface ProcessOutput {
  pid: number;
  stream: 'stdout' | 'stderr';
  data: string;
}

/**
 * How a process ended.
 *
 * @public
 */
export interface ProcessExit {
  pid: number;
  exitCode: number;
  error?: string;
}

/**
 * Callbacks that receive a process's output as it happens.
 *
 * @public
 */
export interface ProcessListeners {
  onOutput?: (output: ProcessOutput) => void;
}

/**
 * Options for {@link SandboxRuntime.startProcess}.
 *
 * @public
 */
export interface StartProcessOptions extends ProcessOptions, ProcessListeners {}

/**
 * A process running in a sandbox that this caller is attached to.
 *
 * @public
 */
export interface ProcessHandle {
  readonly pid: number;
  /**
   * Resolves when the process ends, with its exit code (never rejects for a
   * non-zero exit). Rejects when the connection to the process is lost; the
   * process may still be running then: re-attach with {@link SandboxRuntime.attachProcess}.
   */
  wait(): Promise<ProcessExit>;
  /** Stops receiving output; the process keeps running. */
  detach(): void;
}

/**
 * A process running in a sandbox.
 *
 * @public
 */
export interface SandboxProcess {
  pid: number;
  cmd: string;
  args: string[];
  cwd?: string;
}

/**
 * Signals a process can be sent.
 *
 * @public
 */
export type ProcessSignal = 'SIGTERM' | 'SIGKILL';

/**
 * Filter for {@link SandboxRuntime.listSandboxes}.
 *
 * @public
 */
export interface ListSandboxesFilter {
  /** Only sandboxes whose metadata contains all of these pairs. */
  metadata?: Record<string, string>;
}

/**
 * Resource usage of a sandbox at one moment.
 *
 * @public
 */
export interface SandboxResourceUsage {
  timestamp: Date;
  cpuCount: number;
  cpuUsedPercent: number;
  memoryUsedMiB: number;
  memoryTotalMiB: number;
}

/**
 * Keeps a sandbox's lifetime extended until stopped.
 *
 * @public
 */
export interface SandboxKeepAlive {
  /** Stops extending; the sandbox then dies at its current end time. */
  stop(): void;
}

/**
 * Options for {@link SandboxRuntime.openTerminal}.
 *
 * @public
 */
export interface OpenTerminalOptions {
  /** Columns of the terminal at the start. */
  cols: number;
  /** Rows of the terminal at the start. */
  rows: number;
  /** Working directory of the shell; the sandbox user's home when omitted. */
  cwd?: string;
  /**
   * The longest the terminal may stay open, in milliseconds; the runtime ends it then (a
   * service such as AgentSphere kills the shell when its connection deadline passes).
   */
  maxDurationMs: number;
  /** The terminal's output, as the shell wrote it (bytes, not necessarily whole characters). */
  onData(data: Uint8Array): void;
}

/**
 * An interactive shell on a pseudo-terminal in a sandbox.
 *
 * @public
 */
export interface TerminalHandle {
  /** The shell's process id in the sandbox. */
  readonly pid: number;
  /** Types into the terminal. Calls are delivered in the order they are made. */
  write(data: Uint8Array): Promise<void>;
  /** Changes the terminal's size, as when the window showing it is resized. */
  resize(size: { cols: number; rows: number }): Promise<void>;
  /**
   * Resolves when the shell ends: with its exit code, or with an `error` when the connection to
   * it was lost (for example because the sandbox is gone). Never rejects.
   */
  wait(): Promise<ProcessExit>;
  /** Kills the shell and everything it started in its terminal. */
  kill(): Promise<void>;
}

/**
 * Where CodeRunner runs components: an isolated machine with a filesystem,
 * processes and reachable ports, created and killed on demand.
 *
 * Implementations translate service errors into messages a user understands,
 * and retry transient failures themselves.
 *
 * @public
 */
export interface SandboxRuntime {
  /** Creates a sandbox and returns once it accepts commands. */
  createSandbox(options: CreateSandboxOptions): Promise<SandboxInfo>;

  /** Writes files, creating parent directories, under `directory` (the home directory when omitted). */
  uploadFiles(
    sandboxId: string,
    files: SandboxFile[],
    options?: { directory?: string },
  ): Promise<void>;

  /** Runs a shell command to completion. */
  runCommand(
    sandboxId: string,
    command: string,
    options?: RunCommandOptions,
  ): Promise<CommandResult>;

  /**
   * Starts a long-running shell command in the background. It is not bound
   * to any request timeout: it runs until it exits, is signalled, or the
   * sandbox dies.
   */
  startProcess(
    sandboxId: string,
    command: string,
    options?: StartProcessOptions,
  ): Promise<ProcessHandle>;

  /** Attaches to a running process; output from before attaching is not replayed. */
  attachProcess(
    sandboxId: string,
    pid: number,
    listeners?: ProcessListeners,
  ): Promise<ProcessHandle>;

  /** The processes running in a sandbox. */
  listProcesses(sandboxId: string): Promise<SandboxProcess[]>;

  /** Sends a signal; resolves `false` when there is no such process. */
  signalProcess(
    sandboxId: string,
    pid: number,
    signal: ProcessSignal,
  ): Promise<boolean>;

  /**
   * Opens an interactive login shell on a pseudo-terminal in the sandbox, for a person to type
   * into (the instance terminal). Optional: a runtime without terminals leaves it out, and
   * CodeRunner then refuses terminal sessions saying so.
   */
  openTerminal?(
    sandboxId: string,
    options: OpenTerminalOptions,
  ): Promise<TerminalHandle>;

  /** Kills a sandbox and everything in it; resolves `false` when it did not exist. */
  killSandbox(sandboxId: string): Promise<boolean>;

  /** The running sandboxes, optionally only those with matching metadata. */
  listSandboxes(filter?: ListSandboxesFilter): Promise<SandboxInfo[]>;

  /** Sets a sandbox's end time to `lifetimeSeconds` from now (the default lifetime when omitted). */
  extendLifetime(sandboxId: string, lifetimeSeconds?: number): Promise<void>;

  /** Extends the sandbox's lifetime periodically until stopped, so it lives while it is wanted. */
  keepAlive(sandboxId: string): SandboxKeepAlive;

  /** The external URL of a port, for example `https://3000-<id>.agentsphere.run`. */
  getPortUrl(sandboxId: string, port: number): string;

  /** The latest resource usage, or `undefined` where the service offers none. */
  getResourceUsage(
    sandboxId: string,
  ): Promise<SandboxResourceUsage | undefined>;

  /** Stops background work such as keep-alives; running sandboxes are left alone. */
  close(): Promise<void>;
}
