import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { costSvg, timelineSvg, toPng } from './charts';
import { loadCsvTrace } from './csvTrace';
import { timeDecisions } from './decisionTiming';
import { goalRows, peerRows } from './goals';
import { gitCommit, machineDescription } from './machine';
import { coldStarts, runAll, simulationConfig } from './runner';
import { syntheticTraces, Trace } from './traces';

const usage =
  'usage: yarn workspace @coderunner/bench-autoscaling bench [-- --seed N] [--trace file.csv ...] [--out results.json]';

function parseArgs(argv: string[]) {
  const options = {
    seed: 42,
    csv: [] as string[],
    out: undefined as string | undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (
      flag === '--seed' &&
      value !== undefined &&
      Number.isInteger(Number(value))
    ) {
      options.seed = Number(value);
    } else if (flag === '--trace' && value !== undefined) {
      options.csv.push(resolve(process.env.INIT_CWD ?? process.cwd(), value));
    } else if (flag === '--out' && value !== undefined) {
      options.out = resolve(process.env.INIT_CWD ?? process.cwd(), value);
    } else {
      throw new Error(`unexpected argument "${flag}"; ${usage}`);
    }
    i += 1;
  }
  return options;
}

function main() {
  const started = Date.now();
  const options = parseArgs(process.argv.slice(2).filter(a => a !== '--'));
  // The bench script runs from bench/autoscaling (yarn workspace sets the working directory).
  const repo = resolve(process.cwd(), '../..');
  const custom = options.csv.length > 0;
  const out =
    options.out ??
    resolve(
      repo,
      'bench/results',
      custom ? 'autoscaling-custom.json' : 'autoscaling.json',
    );
  const chartDir = out.replace(/\.json$/, '');
  const traces: Trace[] = [
    ...syntheticTraces(options.seed),
    ...options.csv.map(loadCsvTrace),
  ];

  const results = runAll(traces, options.seed);
  const timing = timeDecisions(options.seed);
  const rows = [
    ...goalRows(results, traces),
    {
      name: 'decision time, median per decision (10,000 deployments, 21 runs)',
      value: timing.medianMicrosecondsPerDecision,
      unit: 'µs',
      goal: 10,
      better: 'lower' as const,
    },
    {
      name: `10,000 decisions, median of 21 runs (min ${timing.batchMs.min}, max ${timing.batchMs.max})`,
      value: timing.batchMs.median,
      unit: 'ms',
      goal: 100,
      better: 'lower' as const,
    },
  ];
  const config = simulationConfig(coldStarts[0], options.seed);
  const report = {
    benchmark: 'autoscaling',
    date: new Date().toISOString(),
    commit: gitCommit(repo),
    machine: machineDescription(),
    seed: options.seed,
    setup: {
      coldStartsSeconds: coldStarts,
      instance:
        '8 workers × 80 ms fixed service time = 100 req/s, queue limit 200 requests',
      targets:
        'every autoscaler, ours included: 70 req/s per instance and 70% CPU where CPU is read; no latency or error-rate targets',
      metrics: `every autoscaler reads the same 15 s averages, ${
        config.metricsLagSeconds
      } s late, ${config.metricNoise * 100}% noise on every metric, ${
        config.missingSampleChance * 100
      }% of samples lost; controller loop phases drawn per seed; nobody is told the cold start`,
      slo: 'a minute violates when more than 5% of its requests take over 300 ms or more than 1% fail',
      pricePerInstanceHour: config.pricePerInstanceHour,
      traces: traces.map(t => ({
        name: t.name,
        source: t.source,
        spike: t.spike,
        seconds: t.requestsPerSecond.length,
      })),
    },
    results: rows,
    peers: peerRows(results, traces),
    perTrace: results.map(({ instancesEvery10s: _series, ...row }) => ({
      ...row,
      instanceMinutes: Math.round(row.instanceMinutes * 10) / 10,
      cost: Math.round(row.cost * 1000) / 1000,
    })),
    decisionTiming: timing,
    wallSeconds: 0,
  };

  mkdirSync(chartDir, { recursive: true });
  for (const trace of traces) {
    const runs = results.filter(
      r => r.trace === trace.name && r.coldStartSeconds === 15,
    );
    writeFileSync(
      resolve(chartDir, `timeline-${trace.name}.png`),
      toPng(timelineSvg(trace, runs)),
    );
  }
  writeFileSync(
    resolve(chartDir, 'cost-vs-violations.png'),
    toPng(costSvg(results)),
  );
  report.wallSeconds = Math.round((Date.now() - started) / 100) / 10;
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  for (const row of rows) {
    const met =
      row.better === 'lower' ? row.value <= row.goal : row.value >= row.goal;
    process.stdout.write(
      `${met ? 'met    ' : 'NOT MET'}  ${row.name}: ${row.value} ${
        row.unit
      } (goal ${row.better === 'lower' ? '≤' : '≥'} ${row.goal})\n`,
    );
  }
  process.stdout.write(
    `wrote ${out} and charts in ${chartDir} in ${report.wallSeconds} s\n`,
  );
}

main();
