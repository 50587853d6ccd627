/*
 * Prints bench/results/logs.json as the Markdown table of docs/logs.md ("Benchmark"); given a
 * file written with --append (several runs), one column per run instead.
 *
 *   yarn workspace @coderunner/bench-logs tsx src/table.ts [../results/logs-latency.json]
 */
import fs from 'node:fs';
import path from 'node:path';

type Row = {
  name: string;
  value: number;
  unit: string;
  goal?: number;
  better?: 'lower' | 'higher';
  database?: string;
  spread?: { min: number; max: number; runs: number };
  goalRule?: string;
};

const file = process.argv[2]
  ? path.resolve(process.argv[2])
  : path.resolve(__dirname, '../../results/logs.json');
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const met = (r: Row) => {
  if (r.goal === undefined) return '';
  return (r.better === 'higher' ? r.value >= r.goal : r.value <= r.goal)
    ? 'yes'
    : '**no**';
};
if (report.runs) {
  printRuns(report.runs);
  process.exit(0);
}
const lines = [
  '| Row | Value | Goal | Met | Runs (min–max) | DB |',
  '|---|---|---|---|---|---|',
];
for (const r of report.results as Row[]) {
  const spread = r.spread
    ? `${r.spread.min}–${r.spread.max} (${r.spread.runs})`
    : '';
  const db = (r.database ?? '').replace(/ \(.*$/, '');
  lines.push(
    `| ${r.name} | ${r.value} ${r.unit} | ${
      r.goal === undefined
        ? ''
        : r.goalRule ??
          `${r.better === 'higher' ? '≥' : '≤'} ${r.goal} ${r.unit}`
    } | ${met(r)} | ${spread} | ${db} |`,
  );
}
for (const p of report.peers as (Row & { note?: string })[]) {
  lines.push(
    `| peer: ${p.name} | ${
      p.value === undefined ? p.note : `${p.value} ${p.unit}`
    } |  |  | ${
      p.spread ? `${p.spread.min}–${p.spread.max} (${p.spread.runs})` : ''
    } | ${p.database ?? ''} |`,
  );
}
process.stdout.write(
  `${lines.join('\n')}\n\nCommit ${String(report.commit).slice(0, 7)}, ${
    report.date
  }, load average (1 min) before/after ${report.machine.loadAverageBefore[0]}/${
    report.machine.loadAverageAfter[0]
  }.\n`,
);

/** Rows × runs: each run's value (median of its repetitions) and, where there is a goal, met. */
function printRuns(
  runs: {
    results: Row[];
    peers: (Row & { note?: string })[];
    commit: string;
    date: string;
    machine: { loadAverageBefore: number[]; loadAverageAfter: number[] };
  }[],
) {
  const cell = (r?: Row) =>
    r === undefined
      ? ''
      : `${r.value} ${r.unit}${r.goal === undefined ? '' : ` (${met(r)})`}`;
  // Every row of any run, in the order the runs first show them (later runs added rows).
  const names = [...new Set(runs.flatMap(run => run.results.map(r => r.name)))];
  const out = [
    `| Row | ${runs.map((_, i) => `Run ${i + 1}`).join(' | ')} | Goal |`,
    `|---|${runs.map(() => '---|').join('')}---|`,
  ];
  for (const name of names) {
    const row = runs.map(run => run.results.find(r => r.name === name));
    // The newest run's rule (each run's cell says whether it met its own run's goal).
    const newest = [...row].reverse().find(r => r?.goal !== undefined);
    const goal = newest
      ? newest.goalRule?.replace(/ \([^()]*\)$/, '') ??
        `${newest.better === 'higher' ? '≥' : '≤'} ${newest.goal} ${
          newest.unit
        }`
      : '';
    out.push(`| ${name} | ${row.map(cell).join(' | ')} | ${goal} |`);
  }
  for (const name of runs[0].peers.map(p => p.name)) {
    const row = runs.map(run => run.peers.find(p => p.name === name));
    out.push(
      `| peer: ${name} | ${row
        .map(p => (p?.value === undefined ? p?.note ?? '' : cell(p)))
        .join(' | ')} |  |`,
    );
  }
  const loads = runs
    .map(
      (run, i) =>
        `run ${i + 1} ${run.date.slice(11, 16)} UTC, commit ${run.commit.slice(
          0,
          7,
        )}, load average (1 min) ${run.machine.loadAverageBefore[0]} → ${
          run.machine.loadAverageAfter[0]
        }`,
    )
    .join('; ');
  process.stdout.write(`${out.join('\n')}\n\n${loads}.\n`);
}
