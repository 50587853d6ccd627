/*
 * Prints bench/results/logs.json as the Markdown table of docs/logs.md ("Benchmark").
 *
 *   yarn workspace @coderunner/bench-logs tsx src/table.ts
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

const file = path.resolve(__dirname, '../../results/logs.json');
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const met = (r: Row) => {
  if (r.goal === undefined) return '';
  return (r.better === 'higher' ? r.value >= r.goal : r.value <= r.goal)
    ? 'yes'
    : '**no**';
};
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
