import crypto from 'node:crypto';
import { EmulatedSandbox } from './EmulatedSandbox';
import { BubblewrapSetup } from './isolation';

// Node timers hold at most about 24.8 days.
const MAX_TIMER_MS = 2_147_483_647;

function randomId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.randomBytes(length);
  return Array.from(bytes, byte => alphabet[byte % alphabet.length]).join('');
}

/** The running sandboxes and their end times. */
export class SandboxRegistry {
  private readonly sandboxes = new Map<string, EmulatedSandbox>();
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly options: {
      /** Isolates every sandbox; undefined runs them as plain host processes. */
      bubblewrap: BubblewrapSetup | undefined;
      /** Whether sandboxes created without saying have outbound network. */
      allowInternetAccess: boolean;
      workDir: string;
      log: (message: string) => void;
    },
  ) {}

  async create(request: {
    templateID: string;
    metadata?: Record<string, string>;
    envVars?: Record<string, string>;
    timeoutSeconds: number;
    secure?: boolean;
    allowInternetAccess?: boolean;
  }): Promise<EmulatedSandbox> {
    const sandboxID = `i${randomId(19)}`;
    const sandbox = await EmulatedSandbox.start({
      spec: {
        sandboxID,
        clientID: randomId(8),
        templateID: request.templateID,
        metadata: request.metadata ?? {},
        envVars: request.envVars ?? {},
        endAt: new Date(Date.now() + request.timeoutSeconds * 1000),
        ...(request.secure && { envdAccessToken: randomId(32) }),
        allowInternetAccess:
          request.allowInternetAccess ?? this.options.allowInternetAccess,
      },
      bubblewrap: this.options.bubblewrap,
      workDir: this.options.workDir,
      onAgentExit: () => {
        this.kill(sandboxID).catch(() => undefined);
      },
    });
    this.sandboxes.set(sandboxID, sandbox);
    this.scheduleExpiry(sandbox);
    this.options.log(
      `sandbox ${sandbox.sandboxId} created from template '${
        request.templateID
      }', ${
        sandbox.spec.allowInternetAccess ? 'with' : 'without'
      } internet access, ends at ${sandbox.spec.endAt.toISOString()}`,
    );
    return sandbox;
  }

  /** Finds a sandbox by `<sandboxID>` or `<sandboxID>-<clientID>`. */
  get(id: string): EmulatedSandbox | undefined {
    return this.sandboxes.get(id.split('-')[0]);
  }

  list(): EmulatedSandbox[] {
    return [...this.sandboxes.values()];
  }

  /** Sets the end time to `seconds` from now. */
  setTimeout(sandbox: EmulatedSandbox, seconds: number): void {
    sandbox.spec.endAt = new Date(Date.now() + seconds * 1000);
    this.scheduleExpiry(sandbox);
  }

  async kill(id: string): Promise<boolean> {
    const sandbox = this.get(id);
    if (!sandbox) {
      return false;
    }
    this.sandboxes.delete(sandbox.spec.sandboxID);
    clearTimeout(this.expiryTimers.get(sandbox.spec.sandboxID));
    this.expiryTimers.delete(sandbox.spec.sandboxID);
    await sandbox.kill();
    this.options.log(`sandbox ${sandbox.sandboxId} killed`);
    return true;
  }

  async killAll(): Promise<void> {
    await Promise.all(this.list().map(sandbox => this.kill(sandbox.sandboxId)));
  }

  private scheduleExpiry(sandbox: EmulatedSandbox) {
    const id = sandbox.spec.sandboxID;
    clearTimeout(this.expiryTimers.get(id));
    const delay = sandbox.spec.endAt.getTime() - Date.now();
    const timer = setTimeout(() => {
      if (sandbox.spec.endAt.getTime() > Date.now()) {
        this.scheduleExpiry(sandbox);
        return;
      }
      this.options.log(`sandbox ${sandbox.sandboxId} reached its end time`);
      this.kill(id).catch(() => undefined);
    }, Math.max(0, Math.min(delay, MAX_TIMER_MS)));
    timer.unref();
    this.expiryTimers.set(id, timer);
  }
}
