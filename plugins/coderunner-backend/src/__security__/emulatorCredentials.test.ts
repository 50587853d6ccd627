import { mockServices } from '@backstage/backend-test-utils';
import { startTestEmulator } from '../__testUtils__/OrchestratorHarness';
import { AgentSphereRuntime } from '../runtime';

// Starts sandboxes: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(120_000);

/**
 * Finding: the emulator had no API key and no per-sandbox access tokens, so anyone who reached
 * it (through the gateway's SSRF, for one) read a sandbox daemon's process list with secret
 * environment values and started processes in any sandbox. Requests here are made as such an
 * attacker would, with plain fetch and no SDK.
 */
describe('the emulator asks for credentials as AgentSphere does', () => {
  const SECRET = 'sk_live_do_not_leak_4242';
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  let runtime: AgentSphereRuntime;
  let sandboxId: string;

  beforeAll(async () => {
    env = await startTestEmulator();
    runtime = AgentSphereRuntime.create({
      logger: mockServices.logger.mock(),
      apiKey: env.emulator.apiKey,
      domain: env.emulator.domain,
    });
    ({ sandboxId } = await runtime.createSandbox({
      envs: { API_TOKEN: SECRET },
    }));
    await runtime.startProcess(sandboxId, 'sleep 600');
  });

  afterAll(async () => {
    await runtime.close();
    await env.stop();
  });

  const envd = (method: string, headers: Record<string, string> = {}) =>
    fetch(`https://49983-${sandboxId}.${env.emulator.domain}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(
        method.endsWith('/Start')
          ? { process: { cmd: '/bin/sh', args: ['-c', 'echo pwned'] } }
          : {},
      ),
    });

  it("refuses a sandbox daemon's process list and process start without the sandbox's token", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { 'x-access-token': 'guessed' },
      { 'x-api-key': env.emulator.apiKey },
    ];
    for (const headers of attempts) {
      for (const method of ['process.Process/List', 'process.Process/Start']) {
        const res = await envd(method, headers);
        const body = await res.text();
        expect({ method, headers, status: res.status }).toEqual({
          method,
          headers,
          status: 401,
        });
        expect(body).not.toContain(SECRET);
      }
    }
  });

  it('refuses the control plane and the admin API without the API key', async () => {
    const api = `https://api.${env.emulator.domain}`;
    const attempts: Record<string, string>[] = [{}, { 'x-api-key': 'guessed' }];
    for (const headers of attempts) {
      const info = await fetch(`${api}/sandboxes/${sandboxId}`, { headers });
      expect(info.status).toBe(401);
      expect(await info.json()).toMatchObject({ code: 401 });
      const created = await fetch(`${api}/sandboxes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ templateID: 'base' }),
      });
      expect(created.status).toBe(401);
      await created.arrayBuffer();
      const admin = await fetch(`${env.emulator.url}/_emulator`, { headers });
      expect(admin.status).toBe(401);
      expect(await admin.text()).not.toContain(sandboxId);
    }
    expect(env.emulator.sandboxIds()).toEqual([sandboxId]);
  });

  it("opens the daemon only with the token the control plane hands to the API key's holder", async () => {
    const info = await fetch(
      `https://api.${env.emulator.domain}/sandboxes/${sandboxId}`,
      {
        headers: { 'x-api-key': env.emulator.apiKey },
      },
    );
    const { envdAccessToken } = await info.json();
    expect(envdAccessToken).toEqual(expect.any(String));
    const list = await envd('process.Process/List', {
      'x-access-token': envdAccessToken,
    });
    expect(list.status).toBe(200);
    expect(JSON.stringify(await list.json())).toContain('sleep 600');
  });
});
