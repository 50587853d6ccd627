import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Faults } from './faults';
import {
  BubblewrapSetup,
  IsolationMode,
  nodePtyPackage,
} from './sandboxes/isolation';
import { REFUSED_SYSCALLS } from './sandboxes/seccomp';
import { SandboxRegistry } from './sandboxes/SandboxRegistry';
import { EmulatorServer } from './server/EmulatorServer';

/**
 * Options for {@link startEmulator}.
 *
 * @public
 */
export interface EmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on; `127.0.0.1` by default. */
  host?: string;
  /** The domain the SDK is pointed at; `agentsphere.test` by default. */
  domain?: string;
  /**
   * `auto` (the default) and `bubblewrap` isolate every sandbox with bubblewrap and fail to
   * start, saying what to install or set, where it does not work. `none` runs sandboxes as
   * plain host processes: only ever set it explicitly, on a machine that runs nothing else.
   */
  isolation?: 'auto' | IsolationMode;
  /**
   * The key the control plane and the admin API require in `X-API-KEY`; a random one is
   * generated at each start when not given (see {@link Emulator.apiKey}).
   */
  apiKey?: string;
  /**
   * Whether sandboxes have outbound network (through slirp4netns) when their create request
   * does not say (`allow_internet_access`, AgentSphere's `allowInternetAccess`); `true` by
   * default, as AgentSphere. Isolated sandboxes never reach the host's own addresses or the
   * networks it is attached to. Unisolated ones always share the host's network.
   */
  allowInternetAccess?: boolean;
  /** Template names that exist; `base`, `node` and `python` by default. All run the host's tools. */
  templates?: string[];
  /** Where sandbox directories live; a fresh temporary directory by default. */
  workDir?: string;
  /** Receives one line per notable event; silent by default. */
  log?: (message: string) => void;
}

/**
 * A running emulator.
 *
 * @public
 */
export interface Emulator {
  /** The plain HTTP address, for example `http://127.0.0.1:7070`. */
  readonly url: string;
  readonly port: number;
  readonly domain: string;
  /** How sandboxes are isolated. */
  readonly isolation: IsolationMode;
  /** The key every control-plane call must carry in `X-API-KEY`. */
  readonly apiKey: string;
  /** Faults to inject into the next requests. */
  readonly faults: Faults;
  /** The ids (`<sandboxID>-<clientID>`) of the running sandboxes. */
  sandboxIds(): string[];
  /** Kills every sandbox and stops listening. */
  stop(): Promise<void>;
}

/**
 * The sentence logged at start when sandboxes are not isolated.
 *
 * @public
 */
export const UNISOLATED_WARNING =
  "!!! isolation: none was set: sandboxes run UNISOLATED as plain host processes, as the user that runs the emulator. Their code can read and change whatever that user can, reach every port on this host, and see and signal other sandboxes' processes. Use it only for trusted code on a machine that runs nothing else. !!!";

/** Why `auto`/`bubblewrap` isolation cannot start here, and what to do about it. */
function bubblewrapMissing(problem: string): Error {
  return new Error(
    `Sandbox isolation needs bubblewrap, and it cannot start a sandbox here: ${problem}. ` +
      'Install it (apt-get install bubblewrap) and allow user namespaces (sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0), ' +
      'or, only for trusted code on a machine that runs nothing else, start the emulator with isolation: none ' +
      '(coderunner.emulator.isolation in app-config, --isolation none on the command line).',
  );
}

/**
 * Starts an AgentSphere emulator in this process.
 *
 * For development and tests only: it is no security boundary.
 *
 * @public
 */
export async function startEmulator(
  options: EmulatorOptions = {},
): Promise<Emulator> {
  const domain = options.domain ?? 'agentsphere.test';
  const log = options.log ?? (() => undefined);
  const requested = options.isolation ?? 'auto';
  if (!['auto', 'bubblewrap', 'none'].includes(requested)) {
    throw new Error(
      `Unknown isolation '${requested}': use auto, bubblewrap or none`,
    );
  }
  const isolation: IsolationMode = requested === 'none' ? 'none' : 'bubblewrap';
  const apiKey = options.apiKey || crypto.randomBytes(24).toString('base64url');
  const allowInternetAccess = options.allowInternetAccess ?? true;

  const ownsWorkDir = !options.workDir;
  const workDir =
    options.workDir ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'agentsphere-emulator-'));
  fs.mkdirSync(workDir, { recursive: true });

  let bubblewrap: BubblewrapSetup | undefined;
  if (isolation === 'bubblewrap') {
    bubblewrap = BubblewrapSetup.prepare(workDir);
    const problem = bubblewrap.problem();
    if (problem) {
      if (ownsWorkDir) {
        fs.rmSync(workDir, { recursive: true, force: true });
      }
      throw bubblewrapMissing(problem);
    }
    const networkProblem = bubblewrap.networkProblem();
    if (networkProblem && allowInternetAccess) {
      if (ownsWorkDir) {
        fs.rmSync(workDir, { recursive: true, force: true });
      }
      throw new Error(
        `Sandboxes get internet access through slirp4netns, and it cannot run here: ${networkProblem}. ` +
          'Install it (apt-get install slirp4netns iproute2 util-linux), or start the emulator with allowInternetAccess: false ' +
          '(--internet off on the command line) for sandboxes with no network.',
      );
    }
    log(
      `Sandboxes are isolated with bubblewrap: user 'user' (uid 1000) in its own user, mount, network, PID, IPC and UTS namespaces, no capabilities, ${
        bubblewrap.seccomp
          ? `seccomp refusing ${REFUSED_SYSCALLS.length} system calls`
          : 'NO seccomp filter (only x86-64 has one)'
      }${
        bubblewrap.hostId !== undefined
          ? `, host user ${bubblewrap.hostId}`
          : ''
      }`,
    );
  } else if (options.log) {
    options.log(UNISOLATED_WARNING);
  } else {
    process.emitWarning(UNISOLATED_WARNING);
  }

  if (!nodePtyPackage()) {
    log(
      "Terminals (sandbox.pty) are unavailable: node-pty's native module is not built (yarn install builds it; it needs python3, make and g++)",
    );
  }

  const faults = new Faults();
  const registry = new SandboxRegistry({
    bubblewrap,
    allowInternetAccess: allowInternetAccess || !bubblewrap,
    workDir,
    log,
  });
  const templates = options.templates ?? ['base', 'node', 'python'];
  const server = new EmulatorServer({
    domain,
    registry,
    faults,
    templates,
    apiKey,
    isolated: isolation === 'bubblewrap',
    describe: () => ({
      domain,
      isolation,
      templates,
      sandboxes: registry.list().map(sandbox => ({
        sandboxId: sandbox.sandboxId,
        templateId: sandbox.spec.templateID,
        metadata: sandbox.spec.metadata,
        allowInternetAccess: sandbox.spec.allowInternetAccess,
        endAt: sandbox.spec.endAt.toISOString(),
      })),
    }),
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${host}:${port}`;
  log(
    `AgentSphere emulator for *.${domain} listening on ${url} (isolation: ${isolation}); for development and tests only, not a security boundary`,
  );

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    domain,
    isolation,
    apiKey,
    faults,
    sandboxIds: () => registry.list().map(sandbox => sandbox.sandboxId),
    stop() {
      stopped ??= (async () => {
        await registry.killAll();
        server.server.closeAllConnections();
        await new Promise(resolve => server.server.close(resolve));
        if (ownsWorkDir) {
          await fs.promises.rm(workDir, { recursive: true, force: true });
        }
      })();
      return stopped;
    },
  };
}
