import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import {
  Emulator,
  EmulatorRoute,
  routeDomainToEmulator,
  startEmulator,
} from '@coderunner/agentsphere-emulator';
import { CommandHandle, Sandbox } from 'agentsphere-sandbox-base';
import { AgentSphereRuntime, AgentSphereRuntimeOptions } from '.';

// Starts sandboxes: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(120_000);

describe('AgentSphereRuntime', () => {
  let emulator: Emulator;
  let route: EmulatorRoute;
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: 'right-key' });
    route = routeDomainToEmulator(emulator.domain, emulator.url);
  });

  afterAll(async () => {
    route.remove();
    await emulator.stop();
  });

  afterEach(() => {
    emulator.faults.clear();
    jest.clearAllMocks();
  });

  function runtime(options: Partial<AgentSphereRuntimeOptions> = {}) {
    return AgentSphereRuntime.create({
      logger,
      apiKey: 'right-key',
      domain: emulator.domain,
      retry: { maxAttempts: 4, initialDelayMs: 20, maxDelayMs: 100 },
      circuitBreaker: { failureThreshold: 50, resetAfterMs: 60_000 },
      ...options,
    });
  }

  it('runs the SandboxRuntime operations end to end', async () => {
    const rt = runtime();
    const sandbox = await rt.createSandbox({
      envs: { NAME: 'world' },
      metadata: { 'coderunner.instanceId': 'i-1' },
    });
    await rt.uploadFiles(
      sandbox.sandboxId,
      [
        {
          path: 'server.js',
          content: `require('node:http').createServer((q, s) => s.end('hi ' + process.env.NAME)).listen(3000)`,
        },
        { path: 'data/bytes.bin', content: new Uint8Array([104, 105]) },
      ],
      { directory: '/home/user/app' },
    );

    const cat = await rt.runCommand(
      sandbox.sandboxId,
      'cat data/bytes.bin; exit 3',
      { cwd: '/home/user/app' },
    );
    expect(cat).toEqual({
      exitCode: 3,
      stdout: 'hi',
      stderr: '',
      error: 'exit status 3',
    });

    const output: string[] = [];
    const server = await rt.startProcess(
      sandbox.sandboxId,
      'node server.js && echo never',
      {
        cwd: '/home/user/app',
        onOutput: chunk =>
          output.push(`${chunk.pid}:${chunk.stream}:${chunk.data}`),
      },
    );
    const url = rt.getPortUrl(sandbox.sandboxId, 3000);
    let body = '';
    while (!body.startsWith('hi')) {
      body = await (await fetch(url)).text();
    }
    expect(body).toBe('hi world');

    const attached = await rt.attachProcess(sandbox.sandboxId, server.pid);
    expect(
      (await rt.listProcesses(sandbox.sandboxId)).map(p => p.pid),
    ).toContain(server.pid);
    expect(
      await rt.signalProcess(sandbox.sandboxId, server.pid, 'SIGTERM'),
    ).toBe(true);
    expect((await server.wait()).exitCode).not.toBe(0);
    expect((await attached.wait()).pid).toBe(server.pid);
    expect(
      await rt.signalProcess(sandbox.sandboxId, server.pid, 'SIGKILL'),
    ).toBe(false);

    const listed = await rt.listSandboxes({
      metadata: { 'coderunner.instanceId': 'i-1' },
    });
    expect(listed.map(s => s.sandboxId)).toEqual([sandbox.sandboxId]);

    await rt.extendLifetime(sandbox.sandboxId, 120);
    const usage = await rt.getResourceUsage(sandbox.sandboxId);
    expect(usage?.memoryTotalMiB).toBeGreaterThan(0);

    expect(await rt.killSandbox(sandbox.sandboxId)).toBe(true);
    expect(await rt.killSandbox(sandbox.sandboxId)).toBe(false);
    await rt.close();
  });

  it('creates secure sandboxes whose daemon refuses requests without their access token', async () => {
    const rt = runtime();
    const { sandboxId } = await rt.createSandbox({});
    const info = await Sandbox.getInfo(sandboxId, {
      apiKey: 'right-key',
      domain: emulator.domain,
    });
    expect(info.envdAccessToken).toBeTruthy();
    const envd = `https://49983-${sandboxId}.${emulator.domain}/process.Process/List`;
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    };
    expect((await fetch(envd, init)).status).toBe(401);
    // A runtime that looks the sandbox up afresh (as after a restart) still gets in.
    const restarted = runtime();
    expect((await restarted.runCommand(sandboxId, 'echo in')).stdout).toBe(
      'in\n',
    );
    await rt.killSandbox(sandboxId);
    await Promise.all([rt.close(), restarted.close()]);
  });

  it('does not let the default command deadline kill a background process', async () => {
    const rt = runtime({ commandTimeoutMs: 500 });
    const { sandboxId } = await rt.createSandbox({});
    const process = await rt.startProcess(sandboxId, 'sleep 1.5; echo done');
    expect(await process.wait()).toEqual({ pid: process.pid, exitCode: 0 });
    const slow = await rt.runCommand(sandboxId, 'sleep 5');
    expect(slow.exitCode).toBe(-1);
    expect(slow.error).toMatch(/killed after 0.5 s/);
    await rt.killSandbox(sandboxId);
  });

  it("keeps no copy of a running process's output in the SDK's command handle", async () => {
    const rt = runtime();
    const { sandboxId } = await rt.createSandbox({});
    // The SDK's own command handles, to look at what they hold: the runtime waits on each.
    // Their class is not exported; its prototype is reached through a handle of our own.
    const sdk = await Sandbox.connect(sandboxId, {
      apiKey: 'right-key',
      domain: emulator.domain,
    });
    const probe = await sdk.commands.run('true', { background: true });
    await probe.wait();
    const wait = jest.spyOn(Object.getPrototypeOf(probe), 'wait');
    try {
      let received = 0;
      const started = await rt.startProcess(
        sandboxId,
        `node -e "for (let i = 0; i < 2000; i++) { console.log('x'.repeat(999)); console.error('y'.repeat(99)); }"`,
        { onOutput: output => (received += output.data.length) },
      );
      expect(await started.wait()).toEqual({
        pid: started.pid,
        exitCode: 0,
      });
      expect(received).toBe(2000 * (1000 + 100));
      // One without listeners, and one attached to a running process.
      const quiet = await rt.startProcess(
        sandboxId,
        `node -e "setTimeout(() => { for (let i = 0; i < 1000; i++) console.log('z'.repeat(999)); }, 500)"`,
      );
      const attached = await rt.attachProcess(sandboxId, quiet.pid);
      await Promise.all([quiet.wait(), attached.wait()]);

      const handles = wait.mock.contexts as CommandHandle[];
      expect(handles).toHaveLength(3);
      for (const handle of handles) {
        expect(handle.stdout).toBe('');
        expect(handle.stderr).toBe('');
      }
    } finally {
      wait.mockRestore();
      await rt.killSandbox(sandboxId);
    }
  });

  it('keeps a wanted sandbox alive past its lifetime', async () => {
    const rt = runtime({
      sandboxLifetimeSeconds: 2,
      keepAliveIntervalSeconds: 0.5,
    });
    const { sandboxId } = await rt.createSandbox({});
    const keepAlive = rt.keepAlive(sandboxId);
    await new Promise(resolve => setTimeout(resolve, 3000));
    expect(emulator.sandboxIds()).toContain(sandboxId);
    keepAlive.stop();
    await rt.killSandbox(sandboxId);
    await rt.close();
  });

  it('retries 429 and 500 answers with backoff and says so', async () => {
    const rt = runtime();
    emulator.faults.inject({
      type: 'status',
      status: 429,
      service: 'api',
      times: 1,
    });
    emulator.faults.inject({
      type: 'status',
      status: 500,
      service: 'api',
      times: 1,
    });
    const { sandboxId } = await rt.createSandbox({});
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^AgentSphere is rate-limiting requests; retrying in [\d.]+ s/,
      ),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^AgentSphere is not answering; retrying in [\d.]+ s/,
      ),
    );
    await rt.killSandbox(sandboxId);
  });

  it('retries envd 5xx answers and dropped connections', async () => {
    const rt = runtime();
    const { sandboxId } = await rt.createSandbox({});
    emulator.faults.inject({
      type: 'status',
      status: 503,
      service: 'envd',
      path: '/process.Process/List',
      times: 2,
    });
    expect(await rt.listProcesses(sandboxId)).toEqual([]);
    emulator.faults.inject({
      type: 'drop-connection',
      service: 'envd',
      times: 1,
    });
    expect((await rt.runCommand(sandboxId, 'echo ok')).stdout).toBe('ok\n');
    expect(logger.warn).toHaveBeenCalledTimes(3);
    await rt.killSandbox(sandboxId);
  });

  it('gives up after the last attempt with a message naming the cause', async () => {
    const rt = runtime({
      retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 20 },
    });
    emulator.faults.inject({ type: 'status', status: 500, service: 'api' });
    await expect(rt.listSandboxes()).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(
        /AgentSphere answered 500.*listing sandboxes, 3 attempts/,
      ),
    });
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('times out a call that hangs and retries it', async () => {
    const rt = runtime({ requestTimeoutMs: 300 });
    emulator.faults.inject({
      type: 'latency',
      ms: 2000,
      service: 'api',
      path: '/sandboxes',
      method: 'GET',
      times: 1,
    });
    expect(Array.isArray(await rt.listSandboxes())).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^AgentSphere is not answering; retrying in/),
    );
  });

  it('opens the circuit after repeated failures, then lets a trial call close it', async () => {
    const rt = runtime({
      retry: { maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 10 },
      circuitBreaker: { failureThreshold: 2, resetAfterMs: 500 },
    });
    emulator.faults.inject({
      type: 'status',
      status: 502,
      service: 'api',
      times: 2,
    });
    await expect(rt.listSandboxes()).rejects.toMatchObject({
      kind: 'unavailable',
    });
    await expect(rt.listSandboxes()).rejects.toMatchObject({
      kind: 'unavailable',
    });
    const hits = emulator.faults.hitCount;
    await expect(rt.listSandboxes()).rejects.toMatchObject({
      kind: 'circuit-open',
      message: expect.stringMatching(/not calling it for the next \d+ s/),
    });
    expect(emulator.faults.hitCount).toBe(hits);
    await new Promise(resolve => setTimeout(resolve, 600));
    expect(Array.isArray(await rt.listSandboxes())).toBe(true);
    expect(Array.isArray(await rt.listSandboxes())).toBe(true);
  });

  it('explains a rejected API key and a missing template', async () => {
    await expect(
      runtime({ apiKey: 'wrong' }).listSandboxes(),
    ).rejects.toMatchObject({
      kind: 'unauthorized',
      message:
        'AgentSphere rejected the API key; check coderunner.agentsphere.apiKey',
    });
    await expect(
      runtime().createSandbox({ template: 'nope' }),
    ).rejects.toMatchObject({
      kind: 'not-found',
      message: "AgentSphere template 'nope' does not exist",
    });
  });

  it('fails every call naming the config key when no API key is configured', async () => {
    const rt = AgentSphereRuntime.fromConfig(new ConfigReader({}), { logger });
    await expect(rt.listSandboxes()).rejects.toMatchObject({
      kind: 'not-configured',
      message: expect.stringContaining('coderunner.agentsphere.apiKey'),
    });
    await expect(rt.runCommand('x', 'true')).rejects.toMatchObject({
      kind: 'not-configured',
    });
  });

  it('reads its settings from config', async () => {
    const rt = AgentSphereRuntime.fromConfig(
      new ConfigReader({
        coderunner: {
          agentsphere: {
            apiKey: 'right-key',
            domain: emulator.domain,
            defaultTemplate: 'node',
          },
        },
      }),
      { logger },
    );
    const sandbox = await rt.createSandbox({});
    expect(sandbox.templateId).toBe('node');
    expect(rt.getPortUrl(sandbox.sandboxId, 8080)).toBe(
      `https://8080-${sandbox.sandboxId}.${emulator.domain}`,
    );
    await rt.killSandbox(sandbox.sandboxId);
  });

  it("takes a module's endpoint for the domain and key, and the rest from config", async () => {
    const rt = AgentSphereRuntime.fromConfig(
      new ConfigReader({
        coderunner: {
          agentsphere: {
            apiKey: 'configured-key',
            domain: 'agentsphere.invalid',
            defaultTemplate: 'python',
          },
        },
      }),
      {
        logger,
        endpoint: { domain: emulator.domain, apiKey: 'right-key' },
      },
    );
    const sandbox = await rt.createSandbox({});
    expect(sandbox.templateId).toBe('python');
    expect(rt.getPortUrl(sandbox.sandboxId, 8080)).toBe(
      `https://8080-${sandbox.sandboxId}.${emulator.domain}`,
    );
    await rt.killSandbox(sandbox.sandboxId);
    await rt.close();
  });

  it.each(['the runtime closes first', 'the emulator stops first'])(
    'shuts down cleanly with a process streaming and a sandbox kept alive when %s',
    async order => {
      const own = await startEmulator({ domain: 'shutdown.test' });
      const ownRoute = routeDomainToEmulator(own.domain, own.url);
      const rt = AgentSphereRuntime.fromConfig(
        new ConfigReader({
          coderunner: {
            agentsphere: {
              keepAliveIntervalSeconds: 0.2,
              retry: { maxAttempts: 1 },
            },
          },
        }),
        { logger, endpoint: { domain: own.domain, apiKey: own.apiKey } },
      );
      const { sandboxId } = await rt.createSandbox({});
      let printed = () => {};
      const firstLine = new Promise<void>(resolve => {
        printed = resolve;
      });
      const ticker = await rt.startProcess(
        sandboxId,
        'while true; do echo tick; sleep 0.1; done',
        { onOutput: () => printed() },
      );
      const ended = ticker.wait().then(
        () => 'ended',
        () => 'ended',
      );
      const keepAlive = rt.keepAlive(sandboxId);
      await firstLine;

      const stopEmulator = async () => {
        ownRoute.remove();
        await own.stop();
      };
      if (order === 'the runtime closes first') {
        await rt.close();
        await stopEmulator();
      } else {
        await stopEmulator();
        await rt.close();
      }
      keepAlive.stop();
      // The stream ends with the emulator; nothing is left waiting on it.
      expect(await ended).toBe('ended');
      expect(own.sandboxIds()).toEqual([]);
    },
    60_000,
  );
});
