import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  Deployment,
  TERMINAL_CLOSE_CODES,
  TERMINAL_PROTOCOL,
  TerminalServerMessage,
} from '@coderunner/plugin-coderunner-common';
import policyModule from '@coderunner/plugin-permission-backend-module-coderunner-policy';
import path from 'node:path';
import request from 'supertest';
import WebSocket from 'ws';
import { emulatorRuntimeModule } from '../__testUtils__/emulatorRuntimeModule';
import {
  localComponent,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import {
  authWithActors,
  catalogWith,
  subprotocolToken,
  userInfoWithGroups,
  waitForEntity,
} from '../__testUtils__/portalWithPolicy';
import { coderunnerPlugin } from '../plugin';

jest.setTimeout(300_000);

/**
 * The instance terminal end to end: the real emulator through the unmodified SDK, the real
 * catalog, permission backend and shipped policy. Who may open one, where to, what it does, how
 * it ends, and what the audit log keeps (never what was typed or shown).
 */
const ENTITY_REF = 'component:default/site';
const OTHER_REF = 'component:default/other-site';
const BASE = '/api/coderunner/entities/component/default';
const IDLE_SECONDS = 30;

const users = {
  owner: 'user:default/olivia',
  viewer: 'user:default/rita',
};
const token = (user: string) =>
  subprotocolToken(mockCredentials.user.token(user));

const site = (name: string, owner: string): Entity => {
  const entity = localComponent(
    name,
    path.resolve(__dirname, '../../../../examples/static-site'),
  );
  entity.spec = { ...entity.spec, owner };
  entity.metadata.annotations!['backstage.io/managed-by-origin-location'] =
    entity.metadata.annotations!['backstage.io/managed-by-location'];
  return entity;
};

type AuditRecord = {
  eventId: string;
  status: 'initiated' | 'succeeded' | 'failed';
  meta?: Record<string, unknown>;
};

/** An auditor that keeps every event, and lets a test wait for one. */
function recordingAuditor() {
  const records: AuditRecord[] = [];
  const waiters: Array<() => void> = [];
  const add = (record: AuditRecord) => {
    records.push(record);
    waiters.splice(0).forEach(wake => wake());
  };
  return {
    records,
    async waitFor(match: (record: AuditRecord) => boolean) {
      while (!records.some(match)) {
        await new Promise<void>(resolve => waiters.push(resolve));
      }
      return records.find(match)!;
    },
    /** Waits until every session that started has ended on the server too. */
    async allEnded() {
      const count = (status: AuditRecord['status']) =>
        records.filter(r => r.status === status).length;
      while (count('initiated') > count('succeeded') + count('failed')) {
        await new Promise<void>(resolve => waiters.push(resolve));
      }
    },
    factory: createServiceFactory({
      service: coreServices.auditor,
      deps: {},
      factory: () => ({
        async createEvent(options) {
          const base = { eventId: options.eventId, meta: options.meta };
          add({ ...base, status: 'initiated' });
          return {
            async success(params) {
              add({
                ...base,
                status: 'succeeded',
                meta: { ...options.meta, ...params?.meta },
              });
            },
            async fail(params) {
              add({
                ...base,
                status: 'failed',
                meta: { ...options.meta, ...params?.meta },
              });
            },
          };
        },
      }),
    }),
  };
}

/** A terminal socket and what it received, with ways to wait for output and for its end. */
function openTerminal(
  port: number,
  query: Record<string, string>,
  options: { token?: string; origin?: string } = {},
) {
  const ws = new WebSocket(
    `ws://localhost:${port}/api/coderunner/terminal?${new URLSearchParams(
      query,
    )}`,
    [TERMINAL_PROTOCOL, options.token ?? token(users.owner)],
    options.origin ? { origin: options.origin } : {},
  );
  let output = '';
  const messages: TerminalServerMessage[] = [];
  const listeners = new Set<() => void>();
  ws.on('message', (data, isBinary) => {
    if (isBinary) output += data.toString();
    else messages.push(JSON.parse(data.toString()));
    listeners.forEach(listener => listener());
  });
  const outcome = new Promise<
    | { opened: true; code: number; reason: string }
    | { opened: false; status: number; body: string }
  >(resolve => {
    ws.once('close', (code, reason) =>
      resolve({ opened: true, code, reason: reason.toString() }),
    );
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', chunk => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ opened: false, status: res.statusCode ?? 0, body }),
      );
    });
  });
  ws.on('error', () => undefined);
  const until = (done: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (done()) {
          listeners.delete(check);
          resolve();
        }
      };
      listeners.add(check);
      void outcome.then(() =>
        done()
          ? resolve()
          : reject(new Error(`closed first; output so far: ${output}`)),
      );
      check();
    });
  return {
    ws,
    messages,
    outcome,
    get output() {
      return output;
    },
    ready: () => until(() => messages.some(m => m.type === 'ready')),
    /** Waits until the output contains `text`, and returns what came after the output seen so far. */
    async type(input: string, expect: RegExp) {
      const from = output.length;
      ws.send(Buffer.from(input), { binary: true });
      await until(() => expect.test(output.slice(from)));
      return output.slice(from);
    },
  };
}

describe('instance terminal', () => {
  let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
  const auditor = recordingAuditor();
  let server: Parameters<typeof request>[0] & { port(): number };
  let instanceId: string;
  let otherInstanceId: string;

  const waitForReadyInstance = async (ref: string, env: string) => {
    const [, rest] = ref.split(':');
    const name = rest.split('/')[1];
    for (;;) {
      const response = await request(server)
        .get(`${BASE}/${name}/deployments`)
        .set('authorization', mockCredentials.service.header());
      const deployment = (
        response.body.items as Deployment[] | undefined
      )?.find(d => d.environment === env);
      const ready = deployment?.instances.find(i => i.state === 'ready');
      if (ready) return ready.id;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    const backend = await startTestBackend({
      features: [
        coderunnerPlugin,
        emulatorRuntimeModule(emulator.emulator),
        catalogPlugin,
        catalogWith([
          site('site', 'group:default/team-a'),
          site('other-site', 'group:default/team-a'),
        ]),
        permissionPlugin,
        policyModule,
        authWithActors,
        auditor.factory,
        userInfoWithGroups({
          [users.owner]: ['group:default/team-a'],
          [users.viewer]: ['group:default/readers'],
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.example' },
            permission: { enabled: true },
            coderunner: {
              permissionPolicy: { viewers: ['group:default/readers'] },
              environments: ['development'],
              gateway: { port: 0 },
              terminal: {
                idleTimeoutSeconds: IDLE_SECONDS,
                maxSessionsPerUser: 3,
              },
              rateLimit: { streamConnectsPerMinute: 1000 },
            },
          },
        }),
      ],
    });
    server = backend.server as typeof server;
    await waitForEntity(server, ENTITY_REF);
    await waitForEntity(server, OTHER_REF);
    for (const name of ['site', 'other-site']) {
      const deployed = await request(server)
        .post(`${BASE}/${name}/deployments/development/deploy`)
        .set('authorization', mockCredentials.service.header())
        .send({});
      if (deployed.status !== 202) {
        throw new Error(`Could not deploy ${name}: ${deployed.text}`);
      }
    }
    instanceId = await waitForReadyInstance(ENTITY_REF, 'development');
    otherInstanceId = await waitForReadyInstance(OTHER_REF, 'development');
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  const target = (overrides: Record<string, string> = {}) => ({
    entity: ENTITY_REF,
    environment: 'development',
    instance: instanceId,
    ...overrides,
  });

  it("runs a shell in the instance: the app's $PORT, resize, and the end is audited without keystrokes", async () => {
    const terminal = openTerminal(server.port(), target());
    await terminal.ready();
    // examples/static-site listens on run.port 8080, which the platform sets as $PORT.
    expect(await terminal.type('echo "port=$PORT"\r', /port=8080/)).toMatch(
      /port=8080/,
    );
    terminal.ws.send(JSON.stringify({ type: 'resize', cols: 101, rows: 33 }));
    expect(await terminal.type('stty size\r', /33 101/)).toMatch(/33 101/);
    // Typed as JSON messages too.
    terminal.ws.send(
      JSON.stringify({ type: 'input', data: 'echo "json-$((6*7))"\r' }),
    );
    await new Promise<void>(resolve => {
      const check = () =>
        terminal.output.includes('json-42') ? resolve() : undefined;
      terminal.ws.on('message', check);
      check();
    });
    terminal.ws.close();
    await terminal.outcome;

    const ended = await auditor.waitFor(
      r =>
        r.eventId === 'instance-terminal' &&
        r.status === 'succeeded' &&
        r.meta?.instanceId === instanceId,
    );
    expect(ended.meta).toEqual({
      user: users.owner,
      entityRef: ENTITY_REF,
      environment: 'development',
      instanceId,
      durationSeconds: expect.any(Number),
      endReason: 'closed',
    });
    const audited = JSON.stringify(auditor.records);
    for (const secret of ['echo', 'port=', 'stty', 'json-', '101']) {
      expect(audited).not.toContain(secret);
    }
  });

  it('ends the shell when the user types exit', async () => {
    const terminal = openTerminal(server.port(), target());
    await terminal.ready();
    terminal.ws.send(Buffer.from('exit 3\r'), { binary: true });
    expect(await terminal.outcome).toEqual({
      opened: true,
      code: 1000,
      reason: 'The shell exited with code 3',
    });
    expect(terminal.messages.at(-1)).toEqual({
      type: 'ended',
      reason: 'exited',
      message: 'The shell exited with code 3',
    });
  });

  it('refuses sizes out of bounds and oversized input', async () => {
    for (const size of [
      { cols: 10_000, rows: 24 },
      { cols: 80, rows: 0 },
      { cols: 80.5, rows: 24 },
      { cols: '80', rows: 24 },
    ]) {
      const terminal = openTerminal(server.port(), target());
      await terminal.ready();
      terminal.ws.send(JSON.stringify({ type: 'resize', ...size }));
      expect(await terminal.outcome).toMatchObject({
        opened: true,
        code: TERMINAL_CLOSE_CODES.invalidInput,
        reason: expect.stringContaining('resize needs whole numbers'),
      });
    }
    const big = openTerminal(server.port(), target());
    await big.ready();
    big.ws.send(Buffer.alloc(16 * 1024 + 1, 'a'), { binary: true });
    expect(await big.outcome).toMatchObject({
      code: TERMINAL_CLOSE_CODES.invalidInput,
    });
    const silly = openTerminal(server.port(), target({ cols: '100000' }));
    expect(await silly.outcome).toMatchObject({ opened: false, status: 400 });
  });

  it('closes an idle session', async () => {
    const terminal = openTerminal(server.port(), target());
    await terminal.ready();
    expect(await terminal.outcome).toEqual({
      opened: true,
      code: TERMINAL_CLOSE_CODES.idleTimeout,
      reason: `Closed after ${IDLE_SECONDS} s without input; open the terminal again`,
    });
    await auditor.waitFor(
      r => r.status === 'succeeded' && r.meta?.endReason === 'idle-timeout',
    );
  });

  it('refuses other users, other instances, foreign origins and more sessions than allowed', async () => {
    const refused = async (
      query: Record<string, string>,
      options?: { token?: string; origin?: string },
    ) => {
      const outcome = await openTerminal(server.port(), query, options).outcome;
      return outcome.opened ? 'opened' : outcome.status;
    };
    // A viewer may read the deployment, not exec in it; the browser learns why from a GET.
    expect(await refused(target(), { token: token(users.viewer) })).toBe(403);
    const preflight = await request(server)
      .get(`/api/coderunner/terminal?${new URLSearchParams(target())}`)
      .set('authorization', mockCredentials.user.header(users.viewer));
    expect(preflight.status).toBe(403);
    expect(preflight.body.error.message).toContain('coderunner.instance.exec');
    // Services (and anyone without a user token) get no terminal.
    expect(
      await refused(target(), {
        token: subprotocolToken(mockCredentials.service.token()),
      }),
    ).toBe(403);
    expect(await refused(target(), { token: 'not-a-token' })).toBe(401);
    // The instance must belong to the deployment the query names.
    expect(await refused(target({ instance: otherInstanceId }))).toBe(404);
    expect(
      await refused(target({ entity: OTHER_REF, instance: instanceId })),
    ).toBe(404);
    expect(await refused(target({ instance: 'no-such-instance' }))).toBe(404);
    expect(await refused(target({ environment: 'production' }))).toBe(400);
    expect(
      await refused({ environment: 'development', instance: instanceId }),
    ).toBe(400);
    // Pages of other sites cannot open one with a user's token.
    expect(await refused(target(), { origin: 'https://evil.example' })).toBe(
      403,
    );
    const fromApp = openTerminal(server.port(), target(), {
      origin: 'http://portal.example',
    });
    await fromApp.ready();
    fromApp.ws.close();
    await fromApp.outcome;
    // The server counts a session until it has seen the socket close, a moment after the client.
    await auditor.allEnded();

    const open = [1, 2, 3].map(() => openTerminal(server.port(), target()));
    await Promise.all(open.map(t => t.ready()));
    expect(await refused(target())).toBe(429);
    open.forEach(t => t.ws.close());
    await Promise.all(open.map(t => t.outcome));
  });

  it('ends the session when the instance stops', async () => {
    const terminal = openTerminal(server.port(), target());
    await terminal.ready();
    const stopped = await request(server)
      .post(`${BASE}/site/deployments/development/stop`)
      .set('authorization', mockCredentials.service.header());
    expect(stopped.status).toBeLessThan(300);
    expect(await terminal.outcome).toMatchObject({
      opened: true,
      code: TERMINAL_CLOSE_CODES.instanceStopped,
    });
    const preflight = await request(server)
      .get(`/api/coderunner/terminal?${new URLSearchParams(target())}`)
      .set('authorization', mockCredentials.user.header(users.owner));
    // Gone (404) once its row is removed, not running (409) while it drains.
    expect([404, 409]).toContain(preflight.status);
  });
});
