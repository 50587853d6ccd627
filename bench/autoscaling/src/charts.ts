import { Resvg } from '@resvg/resvg-js';
import { workloadTargets } from './autoscalers/workloadTargets';
import { Trace } from './traces';
import { RunResult } from './types';

const colors: Record<string, string> = {
  coderunner: '#d62728',
  'k8s-hpa': '#1f77b4',
  'knative-kpa': '#2ca02c',
  'aws-target-tracking': '#ff7f0e',
  'fixed-at-peak': '#7f7f7f',
  'offline-oracle': '#9467bd',
};

const width = 1000;
const height = 420;
const margin = { left: 60, right: 180, top: 40, bottom: 45 };
const plotW = width - margin.left - margin.right;
const plotH = height - margin.top - margin.bottom;

function frame(
  title: string,
  xLabel: string,
  yLabel: string,
  body: string,
  legend: string[],
): string {
  const items = legend
    .map(
      (name, i) =>
        `<rect x="${width - margin.right + 15}" y="${
          margin.top + i * 22
        }" width="14" height="4" fill="${colors[name] ?? '#bbb'}"/><text x="${
          width - margin.right + 35
        }" y="${margin.top + i * 22 + 6}">${name}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${
    margin.left
  }" y="22" font-size="15" font-weight="bold">${title}</text>
<line x1="${margin.left}" y1="${margin.top + plotH}" x2="${
    margin.left + plotW
  }" y2="${margin.top + plotH}" stroke="black"/>
<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${
    margin.top + plotH
  }" stroke="black"/>
<text x="${margin.left + plotW / 2}" y="${
    height - 8
  }" text-anchor="middle">${xLabel}</text>
<text transform="translate(16 ${
    margin.top + plotH / 2
  }) rotate(-90)" text-anchor="middle">${yLabel}</text>
${body}${items}</svg>`;
}

function ticks(
  max: number,
  toX: (v: number) => number,
  toY: (v: number) => number,
  xMax: number,
  xFormat: (v: number) => string,
): string {
  const out: string[] = [];
  for (let i = 0; i <= 5; i++) {
    const y = (max * i) / 5;
    out.push(
      `<text x="${margin.left - 6}" y="${toY(y) + 4}" text-anchor="end">${
        Math.round(y * 10) / 10
      }</text><line x1="${margin.left}" x2="${margin.left + plotW}" y1="${toY(
        y,
      )}" y2="${toY(y)}" stroke="#eee"/>`,
    );
    const x = (xMax * i) / 5;
    out.push(
      `<text x="${toX(x)}" y="${
        margin.top + plotH + 16
      }" text-anchor="middle">${xFormat(x)}</text>`,
    );
  }
  return out.join('');
}

/** Load (as instances needed at the target) and each autoscaler's instances over time, for one trace. */
export function timelineSvg(trace: Trace, runs: readonly RunResult[]): string {
  const points = runs[0].instancesEvery10s.length;
  const load: number[] = [];
  for (let i = 0; i < points; i++) {
    let sum = 0;
    const end = Math.min(trace.requestsPerSecond.length, (i + 1) * 10);
    for (let t = i * 10; t < end; t++) {
      sum += trace.requestsPerSecond[t];
    }
    load.push(
      sum /
        (end - i * 10) /
        workloadTargets(runs[0]).requestsPerSecondPerInstance,
    );
  }
  const max =
    Math.max(...load, ...runs.flatMap(r => r.instancesEvery10s)) * 1.05;
  const toX = (i: number) => margin.left + (i / (points - 1)) * plotW;
  const toY = (v: number) => margin.top + plotH - (v / max) * plotH;
  const path = (values: number[]) =>
    values
      .map(
        (v, i) =>
          `${i === 0 ? 'M' : 'L'}${toX(i).toFixed(1)},${toY(v).toFixed(1)}`,
      )
      .join('');
  const area = `<path d="${path(load)}L${toX(points - 1)},${toY(0)}L${toX(
    0,
  )},${toY(0)}Z" fill="#ddd"/>`;
  const lines = runs
    .map(
      r =>
        `<path d="${path(r.instancesEvery10s)}" fill="none" stroke="${
          colors[r.autoscaler]
        }" stroke-width="${r.autoscaler === 'coderunner' ? 2 : 1.2}"/>`,
    )
    .join('');
  const body =
    ticks(max, toX, toY, points - 1, v => `${Math.round((v * 10) / 60)}`) +
    area +
    lines;
  const title = `${trace.name}, ${
    runs[0].coldStartSeconds
  } s cold start: instances over time (grey: load in instances at the ${Math.round(
    runs[0].targetUtilisation * 100,
  )}% target)`;
  return frame(
    title,
    'minutes',
    'instances',
    body,
    runs.map(r => r.autoscaler),
  );
}

/** Cost against SLO-violation minutes, one point per autoscaler and cold start, summed over the traces. */
export function costSvg(results: readonly RunResult[]): string {
  const groups = new Map<
    string,
    { cost: number; violations: number; autoscaler: string; coldStart: number }
  >();
  for (const r of results) {
    const key = `${r.autoscaler}@${r.coldStartSeconds}`;
    const g = groups.get(key) ?? {
      cost: 0,
      violations: 0,
      autoscaler: r.autoscaler,
      coldStart: r.coldStartSeconds,
    };
    g.cost += r.cost;
    g.violations += r.violationMinutes;
    groups.set(key, g);
  }
  const all = [...groups.values()];
  const maxX = Math.max(...all.map(g => g.cost)) * 1.1;
  const maxY = Math.max(...all.map(g => g.violations), 1) * 1.1;
  const toX = (v: number) => margin.left + (v / maxX) * plotW;
  const toY = (v: number) => margin.top + plotH - (v / maxY) * plotH;
  const dots = all
    .map(
      g =>
        `<circle cx="${toX(g.cost)}" cy="${toY(g.violations)}" r="5" fill="${
          colors[g.autoscaler]
        }"/><text x="${toX(g.cost) + 7}" y="${
          toY(g.violations) - 5
        }" font-size="10">${g.coldStart}s</text>`,
    )
    .join('');
  const body = ticks(maxY, toX, toY, maxX, v => `$${v.toFixed(0)}`) + dots;
  return frame(
    'Cost against SLO-violation minutes, all traces (label: cold start)',
    'cost (USD)',
    'SLO-violation minutes',
    body,
    [...new Set(all.map(g => g.autoscaler))],
  );
}

/** Renders an SVG we generated into PNG bytes. */
export function toPng(svg: string): Buffer {
  return new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
}
