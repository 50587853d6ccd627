/*
 * The peer row: Backstage's own live task log, the scaffolder's task event stream
 * (GET /api/scaffolder/v2/tasks/:id/eventstream, server-sent events), measured the same way as
 * CodeRunner's stream: a template action logs lines stamped with the wall clock, a client on
 * this host receives them, latency = arrival − stamp.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { median, now, percentile, round, Samples, sleep } from './lib';

const LINES = 50;
const INTERVAL_MS = 100;

const emitAction = createTemplateAction({
  id: 'bench:emit',
  description: 'Logs lines stamped with the wall clock, for bench/logs.',
  async handler(ctx) {
    for (let n = 0; n < LINES; n++) {
      ctx.logger.info(`t=${now().toFixed(3)} n=${n}`);
      await sleep(INTERVAL_MS);
    }
  },
});

const benchActions = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'bench-logs',
  register(env) {
    env.registerInit({
      deps: { actions: scaffolderActionsExtensionPoint },
      async init({ actions }) {
        actions.addActions(emitAction);
      },
    });
  },
});

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'bench-logs', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'user:default/mock',
    parameters: [],
    steps: [
      {
        id: 'emit',
        name: 'Emit stamped log lines',
        action: 'bench:emit',
        input: {},
      },
    ],
  },
};

export async function measureScaffolderPeer(options: {
  reps: number;
  log: (message: string) => void;
}) {
  const backend = await startTestBackend({
    features: [
      import('@backstage/plugin-scaffolder-backend'),
      benchActions,
      catalogServiceMock.factory({ entities: [template as any] }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://127.0.0.1',
            listen: { host: '127.0.0.1' },
          },
        },
      }),
    ],
  });
  const base = `http://127.0.0.1:${backend.server.port()}/api/scaffolder`;
  const headers = {
    authorization: `Bearer ${mockCredentials.user.token()}`,
    'content-type': 'application/json',
  };
  const runs: {
    samples: number;
    completed: boolean;
    p50: number;
    p99: number;
    max: number;
  }[] = [];
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      const created = await fetch(`${base}/v2/tasks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          templateRef: 'template:default/bench-logs',
          values: {},
        }),
      });
      if (!created.ok)
        throw new Error(
          `creating a task answered ${created.status}: ${await created.text()}`,
        );
      const { id } = (await created.json()) as { id: string };
      const samples = new Samples();
      const controller = new AbortController();
      const deadline = setTimeout(() => controller.abort(), 60_000);
      let completed = false;
      const response = await fetch(`${base}/v2/tasks/${id}/eventstream`, {
        headers,
        signal: controller.signal,
      });
      if (!response.ok || !response.body)
        throw new Error(`eventstream answered ${response.status}`);
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          const at = now();
          buffer += decoder.decode(chunk, { stream: true });
          for (
            let end = buffer.indexOf('\n\n');
            end >= 0;
            end = buffer.indexOf('\n\n')
          ) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const stamp = /t=(\d+\.\d+) n=(\d+)/.exec(event);
            if (event.startsWith('event: log') && stamp)
              samples.push(at - Number(stamp[1]));
            if (event.startsWith('event: completion')) completed = true;
          }
          if (completed) break;
        }
      } finally {
        clearTimeout(deadline);
        controller.abort();
      }
      const sorted = samples.sorted();
      const run = {
        samples: sorted.length,
        completed,
        p50: round(percentile(sorted, 50), 1),
        p99: round(percentile(sorted, 99), 1),
        max: round(sorted[sorted.length - 1], 1),
      };
      options.log(
        `scaffolder event stream run ${rep + 1}: ${JSON.stringify(run)}`,
      );
      runs.push(run);
    }
  } finally {
    await backend.stop();
  }
  const spread = (k: 'p50' | 'p99') => ({
    min: Math.min(...runs.map(r => r[k])),
    max: Math.max(...runs.map(r => r[k])),
    runs: runs.length,
  });
  return {
    rows: [
      {
        name: `scaffolder task event stream latency p50 (${LINES} lines at ${
          1000 / INTERVAL_MS
        } lines/s, 1 subscriber)`,
        value: median(runs.map(r => r.p50)),
        unit: 'ms',
        database: 'sqlite (in memory)',
        spread: spread('p50'),
      },
      {
        name: `scaffolder task event stream latency p99 (${LINES} lines at ${
          1000 / INTERVAL_MS
        } lines/s, 1 subscriber)`,
        value: median(runs.map(r => r.p99)),
        unit: 'ms',
        database: 'sqlite (in memory)',
        spread: spread('p99'),
      },
    ],
    details: runs,
  };
}
