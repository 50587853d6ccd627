import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Faults } from './faults';
import { IsolationMode, bubblewrapWorks } from './sandboxes/isolation';
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
   * `auto` (the default) uses bubblewrap when it works here and falls back to
   * unisolated processes; `bubblewrap` fails when it does not work.
   */
  isolation?: 'auto' | IsolationMode;
  /** When set, the control plane rejects any other `X-API-KEY`. */
  apiKey?: string;
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
  /** Faults to inject into the next requests. */
  readonly faults: Faults;
  /** The ids (`<sandboxID>-<clientID>`) of the running sandboxes. */
  sandboxIds(): string[];
  /** Kills every sandbox and stops listening. */
  stop(): Promise<void>;
}

/** The sentence logged at start when sandboxes are not isolated. */
export const UNISOLATED_WARNING =
  'bubblewrap is not available: sandboxes run UNISOLATED as plain host processes. They share the host network (two sandboxes cannot both listen on one port), see each other\'s processes, and /home/user is not remapped.';

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
  let isolation: IsolationMode = 'none';
  if (requested !== 'none') {
    if (bubblewrapWorks()) {
      isolation = 'bubblewrap';
    } else if (requested === 'bubblewrap') {
      throw new Error(
        'bubblewrap isolation was requested, but `bwrap` is missing or cannot create namespaces here',
      );
    }
  }
  if (isolation === 'none') {
    log(`WARNING: ${UNISOLATED_WARNING}`);
  }

  const ownsWorkDir = !options.workDir;
  const workDir =
    options.workDir ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'agentsphere-emulator-'));
  fs.mkdirSync(workDir, { recursive: true });

  const faults = new Faults();
  const registry = new SandboxRegistry({ isolation, workDir, log });
  const templates = options.templates ?? ['base', 'node', 'python'];
  const server = new EmulatorServer({
    domain,
    registry,
    faults,
    templates,
    apiKey: options.apiKey,
    describe: () => ({
      domain,
      isolation,
      templates,
      sandboxes: registry.list().map(sandbox => ({
        sandboxId: sandbox.sandboxId,
        templateId: sandbox.spec.templateID,
        metadata: sandbox.spec.metadata,
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
