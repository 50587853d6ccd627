/*
 * bench/deploy: how long a deploy of the Node example takes on the local AgentSphere
 * emulator, from the deploy request to a ready instance that answers through the gateway, and
 * how much of that is CodeRunner's own overhead rather than work inside the sandbox.
 *
 *   yarn workspace @coderunner/bench-deploy bench [-- --runs N]
 *
 * Sandbox work is measured in the same run, on the same emulator, by doing only what the app
 * itself needs, by hand through the runtime: run the manifest's build command, and start the
 * server and poll its health path every 5 ms until it answers. Overhead = total − sandbox work.
 */
import {
  benchLogger,
  HELLO_NODE_DIR,
  helloNodeEntity,
  startEmulatorBackend,
} from '@coderunner/bench-common/src/emulatorBackend';
import {
  headCommit,
  machine,
  REPO,
} from '@coderunner/bench-common/src/runInfo';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

function parseRuns(argv: string[]): number {
  const i = argv.indexOf('--runs');
  const runs = i >= 0 ? Number(argv[i + 1]) : 15;
  if (!Number.isInteger(runs) || runs < 1 || runs > 200) {
    throw new Error('--runs takes a whole number from 1 to 200');
  }
  return runs;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x: number) => Math.round(x * 10) / 10;

function getThroughGateway(port: number, host: string): Promise<number> {
  return new Promise(resolve => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/', headers: { host } },
      res => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
  });
}

async function main() {
  const runs = parseRuns(process.argv.slice(2));
  const backend = await startEmulatorBackend({
    logger: benchLogger(),
    sqlite: 'memory',
  });
  const { emulator, knex, store, runtime, reconciler, gateway, manifest } =
    backend;

  const totals: number[] = [];
  const sandboxWork: number[] = [];
  for (let run = 0; run < runs; run++) {
    const name = `hello-node-${run}`;
    const entity = helloNodeEntity(name);

    // CodeRunner: request → ready and answering through the gateway.
    const started = performance.now();
    const deployment = await backend.recordHelloNodeRelease(
      entity,
      'development',
      1,
    );
    reconciler.trigger(deployment.id);
    for (;;) {
      const row = await store.getDeployment(deployment.id);
      if (row?.status === 'ready') {
        await gateway.refresh();
        if (
          (await getThroughGateway(
            gateway.port,
            `${name}.development.localhost`,
          )) === 200
        )
          break;
      }
      if (row?.status === 'failed' || row?.status === 'degraded') {
        throw new Error(`deploy failed: ${row.statusReason}`);
      }
      await new Promise(resolve => setTimeout(resolve, 2));
    }
    totals.push(performance.now() - started);

    // The same app's own work, by hand: its build command, then start until healthy.
    const sandbox = await runtime.createSandbox({ template: 'base' });
    await runtime.uploadFiles(
      sandbox.sandboxId,
      fs.readdirSync(HELLO_NODE_DIR).map(file => ({
        path: `app/${file}`,
        content: fs.readFileSync(path.join(HELLO_NODE_DIR, file)),
      })),
    );
    const buildStarted = performance.now();
    const build = await runtime.runCommand(
      sandbox.sandboxId,
      manifest.build.command!,
      {
        cwd: '/home/user/app',
      },
    );
    const buildMs = performance.now() - buildStarted;
    if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr}`);
    const startStarted = performance.now();
    await runtime.startProcess(sandbox.sandboxId, manifest.run.command, {
      cwd: '/home/user/app',
      envs: { PORT: String(manifest.run.port) },
    });
    const health = new URL(
      manifest.run.health.path,
      runtime.getPortUrl(sandbox.sandboxId, manifest.run.port),
    );
    for (;;) {
      const ok = await fetch(health).then(
        r => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    sandboxWork.push(buildMs + (performance.now() - startStarted));
    await runtime.killSandbox(sandbox.sandboxId);

    if (process.env.BENCH_TIMELINE) {
      const lines = await knex('coderunner_log_lines')
        .where({ deployment_id: deployment.id })
        .orderBy('seq');
      const t0 = Number(new Date(lines[0].created_at));
      for (const l of lines)
        console.log(
          `  +${Number(new Date(l.created_at)) - t0} ms ${l.stream} ${l.line}`,
        );
    }
    await store.updateDeployment(deployment.id, { desiredState: 'deleted' });
    reconciler.trigger(deployment.id);
    // Let the deletion finish so that it does not overlap the next run.
    while (await store.getDeployment(deployment.id)) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    process.stdout.write(
      `run ${run + 1}/${runs}: total ${Math.round(
        totals[run],
      )} ms, sandbox work ${Math.round(sandboxWork[run])} ms\n`,
    );
  }

  const overheads = totals.map((t, i) => t - sandboxWork[i]);
  const report = {
    benchmark: 'deploy',
    date: new Date().toISOString(),
    commit: headCommit(),
    machine: machine({
      database: 'sqlite (better-sqlite3, in memory)',
      runtime: `agentsphere-emulator (isolation: ${emulator.isolation})`,
    }),
    setup: {
      example:
        'examples/hello-node (build: npm run build; run: node server.js; health /healthz)',
      runs,
      method:
        'total = deploy request (source snapshot, release record) to status ready and 200 through the gateway; sandbox work = the build command plus server start until /healthz answers, done by hand in a fresh sandbox on the same emulator in the same run; overhead = total − sandbox work, per run',
    },
    results: [
      {
        name: 'plugin overhead, median',
        value: round(median(overheads)),
        unit: 'ms',
        goal: 300,
        better: 'lower',
      },
      {
        name: 'plugin overhead, p90',
        value: round(percentile(overheads, 90)),
        unit: 'ms',
      },
      {
        name: 'deploy request to ready, median',
        value: round(median(totals)),
        unit: 'ms',
      },
      {
        name: 'deploy request to ready, p90',
        value: round(percentile(totals, 90)),
        unit: 'ms',
      },
      {
        name: 'sandbox install and start time, median',
        value: round(median(sandboxWork)),
        unit: 'ms',
      },
    ],
    runs: totals.map((t, i) => ({
      totalMs: round(t),
      sandboxWorkMs: round(sandboxWork[i]),
      overheadMs: round(overheads[i]),
    })),
  };
  const out = path.join(REPO, 'bench/results/deploy.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report.results, null, 2));
  console.log(`wrote ${path.relative(process.cwd(), out)}`);

  await backend.stop();
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
