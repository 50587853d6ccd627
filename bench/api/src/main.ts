/**
 * Read API benchmark: CodeRunner's deployment reads against Backstage's own catalog entity read,
 * in the same portal and the same run. Run from the repo root with
 *
 *   node_modules/.bin/tsx bench/api/src/main.ts [--label before|after]
 *
 * For SQLite (a temporary file) and PostgreSQL (a temporary database on 127.0.0.1:5432, dropped
 * afterwards) it starts a backend in-process (startTestBackend) with the CodeRunner plugin on the
 * sandbox emulator, the real catalog backend, the real permission backend and the shipped policy
 * module; the catalog holds 500 components owned by one team. The store first holds 10
 * deployments (5 components in two environments, each with a built release), then 1,000 (all 500
 * components). The caller is a member of the owning team, so every read passes the real policy.
 * At each size, autocannon on 127.0.0.1, each target at 1, 20 and 100 connections for DURATION
 * seconds after a short warm-up:
 * - GET /api/coderunner/deployments (the global list's first page, 50 deployments);
 * - GET /api/coderunner/entities/component/default/<name>/deployments (one entity's two);
 * - GET .../deployments/staging/releases (one deployment's releases);
 * - GET .../deployments/staging/logs (a page of its log history: the newest 500 of 2,000 lines);
 * - GET /api/catalog/entities/by-name/component/default/<name> (the peer).
 * Writes bench/results/api.json; with the default label "after", the results of a previous run
 * labelled "before" are kept in it under `before`.
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import policyModule from '@coderunner/plugin-permission-backend-module-coderunner-policy';
import { coderunnerPlugin } from '@coderunner/plugin-coderunner-backend/src/plugin';
import { AgentSphereRuntime } from '@coderunner/plugin-coderunner-backend/src/runtime';
import { coderunnerRuntimeExtensionPoint } from '@coderunner/plugin-coderunner-node';
import { Emulator } from '@coderunner/agentsphere-emulator';
import { startTestEmulator } from '@coderunner/plugin-coderunner-backend/src/__testUtils__/OrchestratorHarness';
import { authWithActors } from '@coderunner/plugin-coderunner-backend/src/__testUtils__/portalWithPolicy';
import autocannon from 'autocannon';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { temporaryDatabases } from '@coderunner/bench-common/src/databases';
import { headCommit, machine } from '@coderunner/bench-common/src/runInfo';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { Server } from 'node:http';
import { DatabaseLogStore } from '@coderunner/plugin-coderunner-backend/src/logs/DatabaseLogStore';

const repo = path.resolve(__dirname, '../../..');
const COMPONENTS = 500;
const ENVIRONMENTS = ['staging', 'production'];
const DURATION = Number(process.env.BENCH_API_DURATION ?? 10);
const WARMUP = 2;
/** `coderunner.logs.lineCacheBytes` for the portal: 0 measures log pages read without the cache. */
const LINE_CACHE_BYTES =
  process.env.BENCH_API_LINE_CACHE_BYTES === undefined
    ? undefined
    : Number(process.env.BENCH_API_LINE_CACHE_BYTES);
/** `coderunner.deployments.viewCacheBytes`: 0 measures lists read without kept views. */
const VIEW_CACHE_BYTES =
  process.env.BENCH_API_VIEW_CACHE_BYTES === undefined
    ? undefined
    : Number(process.env.BENCH_API_VIEW_CACHE_BYTES);
const IDLE_SECONDS = 4;
const CONNECTIONS = [1, 20, 100];
/** The store's sizes measured in turn: 10 deployments, then 1,000. */
const SIZES = [5, COMPONENTS];
const LOG_LINES = 2000;

/** The value after `flag` on the command line. */
function option(flag: string) {
  const at = process.argv.indexOf(flag);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/**
 * For profiling runs: `--reads list,entity,releases,logs,catalog`, `--connections 1,20,100` and
 * `--sizes 10,1000` (deployments) measure only those.
 */
const only = {
  reads: option('--reads')?.split(','),
  connections: option('--connections')?.split(',').map(Number),
  sizes: option('--sizes')?.split(',').map(Number),
};
const USER = 'user:default/olivia';

const round = (value: number, digits = 1) =>
  Math.round(value * 10 ** digits) / 10 ** digits;
const name = (i: number) => `bench-${i}`;

const annotations = {
  'backstage.io/managed-by-location': 'url:http://127.0.0.1/bench-api',
  'backstage.io/managed-by-origin-location': 'url:http://127.0.0.1/bench-api',
};
const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-a', namespace: 'default', annotations },
  spec: { type: 'team', children: [], members: [USER] },
};
const components: Entity[] = Array.from({ length: COMPONENTS }, (_, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: name(i), namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
}));

const benchEntities = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'bench-api-entities',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider({
          getProviderName: () => 'bench-api-entities',
          connect: async connection =>
            connection.applyMutation({
              type: 'full',
              entities: [team, ...components].map(entity => ({
                entity,
                locationKey: 'bench-api-entities',
              })),
            }),
        });
      },
    });
  },
});

const quiet = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return quiet;
  },
};

/** CodeRunner's sandboxes on the emulator, through the real SDK. */
function emulatorRuntime(emulator: Emulator) {
  return createBackendModule({
    pluginId: 'coderunner',
    moduleId: 'bench-runtime',
    register(reg) {
      reg.registerInit({
        deps: { extension: coderunnerRuntimeExtensionPoint },
        async init({ extension }) {
          extension.setRuntime(
            AgentSphereRuntime.create({
              logger: quiet,
              apiKey: emulator.apiKey,
              domain: emulator.domain,
            }),
            { name: 'agentsphere-emulator' },
          );
        },
      });
    },
  });
}

/** The caller's ownership refs, as a sign-in resolver puts them in the token. */
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs:
          ref === USER ? [ref, 'group:default/team-a'] : [ref],
      };
    },
  }),
});

const manifest = JSON.stringify({
  kind: 'web',
  runtime: 'node',
  build: { command: 'npm ci' },
  run: { command: 'node server.js', port: 3000 },
  health: { path: '/healthz' },
  resources: { cpu: 1, memoryMb: 512 },
});

/**
 * Deployments of components `from` to `to` - 1 in every environment, stopped (the reconciler
 * leaves them be), each with a built release.
 */
async function seed(knex: Knex, from: number, to: number) {
  const deployments = [];
  const releases = [];
  for (let i = from; i < to; i++) {
    for (const environment of ENVIRONMENTS) {
      const id = randomUUID();
      const releaseId = randomUUID();
      deployments.push({
        id,
        entity_ref: `component:default/${name(i)}`,
        environment,
        desired_instances: 2,
        desired_state: 'stopped',
        status: 'stopped',
        status_reason: 'Stopped on request',
        active_release_id: releaseId,
        next_release_number: 2,
        created_by: USER,
        deployed_by: USER,
        deployed_at: new Date(),
      });
      releases.push({
        id: releaseId,
        deployment_id: id,
        number: 1,
        source_revision: 'abc123',
        source_summary: 'bench',
        manifest,
        status: 'built',
        created_by: USER,
        built_at: new Date(),
      });
    }
  }
  for (let i = 0; i < deployments.length; i += 200) {
    await knex('coderunner_deployments').insert(deployments.slice(i, i + 200));
  }
  for (let i = 0; i < releases.length; i += 200) {
    await knex('coderunner_releases').insert(releases.slice(i, i + 200));
  }
}

async function waitForCatalog(base: string, headers: Record<string, string>) {
  const last = `${base}/api/catalog/entities/by-name/component/default/${name(
    COMPONENTS - 1,
  )}`;
  const deadline = Date.now() + 600_000;
  for (;;) {
    const response = await fetch(last, { headers });
    if (response.ok) {
      const body = (await response.json()) as { relations?: unknown[] };
      if (body.relations?.length) return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the catalog never settled: ${last} answered ${response.status}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

async function load(url: string, connections: number, seconds: number) {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    // In a thread of its own: the client parses every answer, and on the backend's event loop
    // it would slow the large answers (a page of 50 deployments, 500 log lines) more than the
    // catalog's one entity.
    workers: 1,
    headers: { authorization: `Bearer ${mockCredentials.user.token(USER)}` },
  });
  return result;
}

/**
 * Counts the statements the portal sends to the database (every plugin shares the pool), and
 * how long each statement waited for a connection of the pool.
 */
function countQueries(knex: Knex) {
  const counter = { queries: 0, waits: [] as number[] };
  knex.on('query', () => {
    counter.queries++;
  });
  const pool = (
    knex.client as {
      pool?: {
        on(event: string, handler: (eventId: number) => void): void;
      };
    }
  ).pool;
  const asked = new Map<number, number>();
  pool?.on('acquireRequest', eventId => {
    asked.set(eventId, performance.now());
  });
  pool?.on('acquireSuccess', eventId => {
    const at = asked.get(eventId);
    asked.delete(eventId);
    if (at !== undefined) counter.waits.push(performance.now() - at);
  });
  pool?.on('acquireFail', eventId => {
    asked.delete(eventId);
  });
  return counter;
}

/** The `q`-th percentile of `values`, in ms with one decimal. */
function percentile(values: number[], q: number) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return round(
    sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * q) / 100))],
  );
}

const p99 = (values: number[]) => percentile(values, 99);

/**
 * How long the backend took for each answer, from its request's arrival to the last byte
 * handed to the socket: the part of the latency the backend decides. The rest is the wait for
 * the event loop to read the request and the client's own reading of the answer.
 */
function timeAnswers(server: Server) {
  const answers = { times: [] as number[] };
  server.on('request', (_req, res) => {
    const at = performance.now();
    res.on('finish', () => answers.times.push(performance.now() - at));
  });
  return answers;
}

async function measure(knex: Knex, database: string) {
  const counter = countQueries(knex);
  const emulator = await startTestEmulator();
  const backend = await startTestBackend({
    features: [
      coderunnerPlugin,
      emulatorRuntime(emulator.emulator),
      catalogPlugin,
      benchEntities,
      permissionPlugin,
      policyModule,
      authWithActors,
      userInfo,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://127.0.0.1',
            listen: { host: '127.0.0.1' },
          },
          permission: { enabled: true },
          coderunner: {
            environments: ENVIRONMENTS,
            gateway: { port: 0 },
            ...(LINE_CACHE_BYTES !== undefined
              ? { logs: { lineCacheBytes: LINE_CACHE_BYTES } }
              : {}),
            ...(VIEW_CACHE_BYTES !== undefined
              ? { deployments: { viewCacheBytes: VIEW_CACHE_BYTES } }
              : {}),
          },
        },
      }),
    ],
  });
  const results: object[] = [];
  const peers: object[] = [];
  try {
    const base = `http://127.0.0.1:${backend.server.port()}`;
    const answers = timeAnswers(backend.server);
    const headers = {
      authorization: `Bearer ${mockCredentials.user.token(USER)}`,
    };
    await waitForCatalog(base, headers);
    const entity = name(3);
    let seeded = 0;
    for (const size of SIZES) {
      await seed(knex, seeded, size);
      if (seeded === 0) {
        // The log history of the entity's staging deployment.
        const { id } = await knex('coderunner_deployments')
          .where({
            entity_ref: `component:default/${entity}`,
            environment: 'staging',
          })
          .first('id');
        await DatabaseLogStore.create({ knex }).append(
          id,
          Array.from({ length: LOG_LINES }, (_, i) => ({
            stream: 'stdout' as const,
            line: `GET /items/${i} 200 in ${i % 40} ms`,
          })),
        );
      }
      seeded = size;
      const count = size * ENVIRONMENTS.length;
      if (only.sizes && !only.sizes.includes(count)) continue;
      const rows = await measureSize({
        base,
        headers,
        entity,
        label: `${count} deployments, ${database}`,
        count,
        counter,
        answers,
      });
      results.push(...rows.results);
      peers.push(...rows.peers);
    }
  } finally {
    await backend.stop();
    await emulator.stop();
  }
  return { results, peers };
}

/** Every target at every connection count, with `count` deployments in the store. */
async function measureSize(options: {
  base: string;
  headers: Record<string, string>;
  entity: string;
  /** The store's size and the database, for the rows' names. */
  label: string;
  count: number;
  counter: ReturnType<typeof countQueries>;
  answers: ReturnType<typeof timeAnswers>;
}) {
  const {
    base,
    headers,
    entity,
    label: database,
    count,
    counter,
    answers,
  } = options;
  const results: object[] = [];
  const peers: object[] = [];
  const entityApi = `${base}/api/coderunner/entities/component/default/${entity}`;
  const targets = [
    {
      key: 'list',
      label: 'GET /api/coderunner/deployments (first page)',
      url: `${base}/api/coderunner/deployments`,
      expect: Math.min(count, 50),
      peer: false,
    },
    {
      key: 'entity',
      label: `GET /api/coderunner/entities/component/default/${entity}/deployments`,
      url: `${entityApi}/deployments`,
      expect: ENVIRONMENTS.length,
      peer: false,
    },
    {
      key: 'releases',
      label: `GET .../${entity}/deployments/staging/releases`,
      url: `${entityApi}/deployments/staging/releases`,
      expect: 1,
      peer: false,
    },
    {
      key: 'logs',
      label: `GET .../${entity}/deployments/staging/logs (the first 500 of ${LOG_LINES} lines)`,
      url: `${entityApi}/deployments/staging/logs`,
      expect: 500,
      peer: false,
    },
    {
      key: 'catalog',
      label: `GET /api/catalog/entities/by-name/component/default/${entity}`,
      url: `${base}/api/catalog/entities/by-name/component/default/${entity}`,
      peer: true,
    },
  ];
  {
    for (const target of targets) {
      // Once more if the connection was reset (the server closed an idle keep-alive socket).
      const response = await fetch(target.url, { headers }).catch(() =>
        fetch(target.url, { headers }),
      );
      if (!response.ok) {
        throw new Error(
          `${target.label} answered ${
            response.status
          }: ${await response.text()}`,
        );
      }
      const body = (await response.json()) as { items?: unknown[] };
      const got = body.items?.length;
      if (target.expect !== undefined && got !== target.expect) {
        throw new Error(
          `${target.label} returned ${got} items, expected ${target.expect}`,
        );
      }
    }
    // What the portal asks of the database with no request at all (the reconcile loop, the
    // gateway's route refresh, the catalog's processing), over a few seconds.
    const idleFrom = counter.queries;
    await new Promise(resolve => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idleRate = round((counter.queries - idleFrom) / IDLE_SECONDS);
    console.log(`${database} idle: ${idleRate} database queries/s`);
    results.push({
      name: `no requests, ${database}: database queries/s in the background`,
      value: idleRate,
      unit: 'queries/s',
      better: 'lower',
    });
    for (const connections of CONNECTIONS.filter(
      c => !only.connections || only.connections.includes(c),
    )) {
      for (const target of targets.filter(
        t => !only.reads || only.reads.includes(t.key),
      )) {
        await load(target.url, connections, WARMUP);
        const queriesFrom = counter.queries;
        counter.waits = [];
        const busyFrom = performance.eventLoopUtilization();
        // How late the backend's event loop ran its timers: long synchronous stretches (a
        // background task, a SQLite query) show here as the latency tail does.
        const stalls = monitorEventLoopDelay({ resolution: 1 });
        stalls.enable();
        answers.times = [];
        const r = await load(target.url, connections, DURATION);
        stalls.disable();
        // The backend's event loop (the load runs in a thread of its own): busy time per answer.
        const busy = round(
          performance.eventLoopUtilization(busyFrom).active /
            Math.max(r.requests.total, 1),
          3,
        );
        const poolWait = p99(counter.waits);
        const served = {
          p50: percentile(answers.times, 50),
          p99: p99(answers.times),
        };
        const bad = r.non2xx + r.errors + r.timeouts;
        const perRequest = round(
          (counter.queries - queriesFrom) / Math.max(r.requests.total, 1),
        );
        const line = `${database} ${target.label} @${connections}: ${round(
          r.requests.average,
        )} req/s, p50 ${r.latency.p50} ms, p99 ${
          r.latency.p99
        } ms (in the backend p50 ${served.p50}, p99 ${
          served.p99
        } ms), loop delay p99 ${round(stalls.percentile(99) / 1e6)} max ${round(
          stalls.max / 1e6,
        )} ms, ${busy} ms busy/request, ${perRequest} database queries/request (background included), pool wait p99 ${poolWait} ms${
          bad ? `, ${bad} failed` : ''
        }`;
        console.log(line);
        const rows = [
          {
            name: `${target.label}, ${connections} connection(s), ${database}: requests/s`,
            value: round(r.requests.average),
            unit: 'req/s',
            better: 'higher',
          },
          {
            name: `${target.label}, ${connections} connection(s), ${database}: latency p50`,
            value: r.latency.p50,
            unit: 'ms',
            better: 'lower',
          },
          {
            name: `${target.label}, ${connections} connection(s), ${database}: latency p99`,
            value: r.latency.p99,
            unit: 'ms',
            better: 'lower',
            ...(connections === 20 && !target.peer && count >= 1000
              ? { goal: 50 }
              : {}),
          },
          {
            name: `${target.label}, ${connections} connection(s), ${database}: latency in the backend p50 (request arrived to answer written)`,
            value: served.p50,
            unit: 'ms',
            better: 'lower',
          },
          {
            name: `${target.label}, ${connections} connection(s), ${database}: latency in the backend p99 (request arrived to answer written)`,
            value: served.p99,
            unit: 'ms',
            better: 'lower',
          },
          {
            name: `${target.label}, ${connections} connection(s), ${database}: the backend's event loop busy per request, background included`,
            value: busy,
            unit: 'ms',
            better: 'lower',
          },
          {
            name: `${target.label}, ${connections} connection(s), ${database}: database queries per request, background included`,
            value: perRequest,
            unit: 'queries',
            better: 'lower',
          },
          {
            name: `${target.label}, ${connections} connection(s), ${database}: wait for a pool connection p99`,
            value: poolWait,
            unit: 'ms',
            better: 'lower',
          },
          {
            name: `${target.label}, ${connections} connection(s), ${database}: failed requests`,
            value: bad,
            unit: 'requests',
            goal: 0,
            better: 'lower',
          },
        ];
        (target.peer ? peers : results).push(...rows);
      }
    }
  }
  return { results, peers };
}

async function main() {
  const label = option('--label') ?? 'after';
  // --only sqlite|postgresql and --out FILE, for profiling runs that leave the results be.
  const database = option('--only');
  const out = option('--out');
  const loadBefore = os.loadavg().map(l => round(l, 2));
  const databases = temporaryDatabases('api');
  let pgVersion = '';
  const results: object[] = [];
  const peers: object[] = [];
  try {
    if (database !== 'postgresql') {
      const lite = await measure(databases.sqlite, 'sqlite');
      results.push(...lite.results);
      peers.push(...lite.peers);
    }
    if (database !== 'sqlite') {
      const pg = await databases.postgres();
      pgVersion = pg.version;
      const post = await measure(pg.knex, 'postgresql');
      results.push(...post.results);
      peers.push(...post.peers);
    }
  } finally {
    await databases.close();
  }
  const file = out
    ? path.resolve(out)
    : path.join(repo, 'bench/results/api.json');
  const previous = fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : undefined;
  const before =
    label === 'before'
      ? undefined
      : previous?.label === 'before'
      ? {
          commit: previous.commit,
          date: previous.date,
          setup: previous.setup,
          results: previous.results,
          peers: previous.peers,
        }
      : previous?.before;
  const report = {
    benchmark: 'api',
    label,
    date: new Date().toISOString(),
    commit: headCommit(),
    machine: machine({
      database: `sqlite (better-sqlite3, temporary file) and postgresql ${pgVersion} on 127.0.0.1`,
    }),
    setup: {
      loadAverage: {
        before: loadBefore,
        after: os.loadavg().map(l => round(l, 2)),
      },
      method: `one in-process backend per database (startTestBackend: CodeRunner on the emulator, the real catalog backend, the real permission backend with the shipped CodeRunner policy); ${COMPONENTS} components owned by group:default/team-a; first ${
        SIZES[0] * ENVIRONMENTS.length
      }, then ${
        COMPONENTS * ENVIRONMENTS.length
      } deployments (components in ${ENVIRONMENTS.join(
        ' and ',
      )}, each with a built release), ${LOG_LINES} stored log lines in the measured deployment; caller ${USER}, a member of team-a; autocannon on 127.0.0.1 for ${DURATION} s per row after a ${WARMUP} s warm-up, at ${CONNECTIONS.join(
        ', ',
      )} connection(s); the catalog entity read is the peer, measured in the same portal and run at each size`,
    },
    results,
    peers,
    ...(before ? { before } : {}),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${path.relative(repo, file)}`);
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
