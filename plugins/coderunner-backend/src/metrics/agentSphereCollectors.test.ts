import { mockServices } from '@backstage/backend-test-utils';
import { Registry } from 'prom-client';
import { startTestEmulator } from '../__testUtils__/OrchestratorHarness';
import { AgentSphereRuntime } from '../runtime';
import { registerAgentSphereCollectors } from './agentSphereCollectors';

// Starts sandboxes: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(120_000);

describe('AgentSphere collectors', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterAll(async () => {
    await env.stop();
  });

  it('export every attempt by outcome, its latency and an open circuit, from real calls', async () => {
    const runtime = AgentSphereRuntime.create({
      logger: mockServices.logger.mock(),
      apiKey: env.emulator.apiKey,
      domain: env.emulator.domain,
      retry: { maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 10 },
      circuitBreaker: { failureThreshold: 2, resetAfterMs: 60_000 },
    });
    const registry = new Registry();
    registerAgentSphereCollectors(registry, runtime);

    await runtime.listSandboxes();
    env.emulator.faults.inject({
      type: 'status',
      status: 502,
      service: 'api',
      times: 2,
    });
    await expect(runtime.listSandboxes()).rejects.toMatchObject({
      kind: 'unavailable',
    });
    let text = await registry.metrics();
    expect(text).toContain('coderunner_agentsphere_circuit_open 0');
    await expect(runtime.listSandboxes()).rejects.toMatchObject({
      kind: 'unavailable',
    });
    await expect(runtime.listSandboxes()).rejects.toMatchObject({
      kind: 'circuit-open',
    });

    text = await registry.metrics();
    const lines = text.split('\n');
    expect(lines).toContain(
      'coderunner_agentsphere_calls_total{outcome="ok"} 1',
    );
    expect(lines).toContain(
      'coderunner_agentsphere_calls_total{outcome="unavailable"} 2',
    );
    expect(lines).toContain(
      'coderunner_agentsphere_calls_total{outcome="circuit-open"} 1',
    );
    // The refused call never went out: three attempts were timed.
    expect(lines).toContain(
      'coderunner_agentsphere_call_duration_seconds_count 3',
    );
    expect(lines).toContain('coderunner_agentsphere_circuit_open 1');
    expect(runtime.calls.lastAttempt?.outcome).toBe('circuit-open');
    await runtime.close();
  });
});
