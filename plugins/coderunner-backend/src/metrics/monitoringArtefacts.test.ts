import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { coderunnerPlugin } from '../plugin';

// promtool and a started backend take seconds on a busy machine; Jest's 5 s default is too short.
jest.setTimeout(120_000);

const run = promisify(execFile);
const monitoring = path.resolve(__dirname, '../../../../deploy/monitoring');

/** promtool from Debian's prometheus package; scripts/test.sh installs it like Chromium. */
async function promtool(args: string[], cwd: string) {
  try {
    return await run('promtool', args, { cwd });
  } catch (error: any) {
    if (error.code === 'ENOENT') {
      throw new Error(
        "promtool is missing: install Debian's prometheus package (scripts/test.sh does)",
      );
    }
    throw new Error(
      `promtool ${args.join(' ')} failed:\n${error.stdout}\n${error.stderr}`,
    );
  }
}

describe('deploy/monitoring, checked by promtool', () => {
  let dir: string;
  beforeAll(async () => {
    // A copy, with the token file the scrape config names (promtool checks that it exists).
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coderunner-monitoring-'));
    await fs.cp(monitoring, dir, { recursive: true });
    await fs.writeFile(
      path.join(dir, 'coderunner-metrics.token'),
      'a-scrape-token-of-32-characters!',
    );
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('the scrape config and the rules it loads are valid', async () => {
    const { stdout } = await promtool(
      ['check', 'config', 'prometheus.yml'],
      dir,
    );
    expect(stdout).toContain('SUCCESS: 1 rule files found');
    expect(
      (await promtool(['check', 'rules', 'coderunner.rules.yml'], dir)).stdout,
    ).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('every alert has unit tests, and they pass', async () => {
    const rules = await fs.readFile(
      path.join(dir, 'coderunner.rules.yml'),
      'utf8',
    );
    const tests = await fs.readFile(
      path.join(dir, 'coderunner.rules.test.yml'),
      'utf8',
    );
    const alerts = [...rules.matchAll(/^\s+- alert: (\w+)$/gm)].map(m => m[1]);
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    for (const alert of alerts) {
      // A test that expects it to fire (exp_alerts with labels), not only one that expects silence.
      expect({
        alert,
        tested: new RegExp(
          `alertname: ${alert}\\n\\s+exp_alerts:\\n\\s+- exp_labels`,
        ).test(tests),
      }).toEqual({
        alert,
        tested: true,
      });
    }
    expect(
      (await promtool(['test', 'rules', 'coderunner.rules.test.yml'], dir))
        .stdout,
    ).toContain('SUCCESS');
  });

  it('the Grafana dashboard has entity and environment variables and valid PromQL in every panel', async () => {
    const dashboard = JSON.parse(
      await fs.readFile(
        path.join(dir, 'grafana/coderunner-dashboard.json'),
        'utf8',
      ),
    );
    expect(
      dashboard.templating.list.map((v: { name: string }) => v.name),
    ).toEqual(['datasource', 'entity', 'environment']);
    const exprs: string[] = dashboard.panels.flatMap(
      (panel: { targets: { expr: string }[] }) =>
        panel.targets.map(target => target.expr),
    );
    expect(exprs.length).toBeGreaterThanOrEqual(8);
    // promtool parses each query as a recording rule, with Grafana's variables as Grafana fills them.
    const filled = exprs.map(expr =>
      expr
        .replaceAll('$entity', '.*')
        .replaceAll('$environment', '.*')
        .replaceAll('$__rate_interval', '1m'),
    );
    const asRules = {
      groups: [
        {
          name: 'dashboard',
          rules: filled.map((expr, i) => ({
            record: `dashboard:panel${i}`,
            expr,
          })),
        },
      ],
    };
    await fs.writeFile(
      path.join(dir, 'dashboard.rules.json'),
      JSON.stringify(asRules),
    );
    expect(
      (await promtool(['check', 'rules', 'dashboard.rules.json'], dir)).stdout,
    ).toContain(`SUCCESS: ${exprs.length} rules found`);
  });

  it('uses only series the endpoint exports, so a renamed series cannot silently empty an alert or panel', async () => {
    const { server } = await startTestBackend({
      features: [
        coderunnerPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            coderunner: {
              gateway: { port: 0, listenHost: '127.0.0.1' },
              metrics: { auth: 'unauthenticated' },
            },
          },
        }),
      ],
    });
    const scraped = await request(server).get('/api/coderunner/metrics');
    const exported = new Set(
      [...scraped.text.matchAll(/^# TYPE (\w+) (\w+)$/gm)].flatMap(
        ([, name, type]) =>
          type === 'histogram'
            ? [`${name}_bucket`, `${name}_sum`, `${name}_count`]
            : [name],
      ),
    );
    const used = new Set<string>();
    for (const file of [
      'coderunner.rules.yml',
      'grafana/coderunner-dashboard.json',
    ]) {
      const text = await fs.readFile(path.join(dir, file), 'utf8');
      for (const [name] of text.matchAll(/\bcoderunner_[a-z_]+\b/g))
        used.add(name);
    }
    expect(used.size).toBeGreaterThanOrEqual(10);
    expect([...used].filter(name => !exported.has(name))).toEqual([]);
  });
});
