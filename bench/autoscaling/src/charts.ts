import { Resvg } from '@resvg/resvg-js';
import { workloadTargets } from './autoscalers/workloadTargets';
import { SeedGoals, SweepPoint } from './goals';
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

const width = 1100;
const left = 70;
const right = 200;
const plotW = width - left - right;

interface Panel {
  top: number;
  height: number;
  xMax: number;
  yMax: number;
}

const toX = (p: Panel, v: number) => left + (v / p.xMax) * plotW;
const toY = (p: Panel, v: number) =>
  p.top + p.height - (Math.min(v, p.yMax) / p.yMax) * p.height;

function axes(
  p: Panel,
  yLabel: string,
  xLabel: string,
  xFormat: (v: number) => string,
  yFormat = (v: number) => `${Math.round(v * 10) / 10}`,
): string {
  const out = [
    `<line x1="${left}" y1="${p.top + p.height}" x2="${left + plotW}" y2="${
      p.top + p.height
    }" stroke="black"/>`,
    `<line x1="${left}" y1="${p.top}" x2="${left}" y2="${
      p.top + p.height
    }" stroke="black"/>`,
    `<text transform="translate(18 ${
      p.top + p.height / 2
    }) rotate(-90)" text-anchor="middle">${yLabel}</text>`,
    `<text x="${left + plotW / 2}" y="${
      p.top + p.height + 34
    }" text-anchor="middle">${xLabel}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const y = (p.yMax * i) / 5;
    out.push(
      `<text x="${left - 6}" y="${toY(p, y) + 4}" text-anchor="end">${yFormat(
        y,
      )}</text>`,
    );
    out.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${toY(p, y)}" y2="${toY(
        p,
        y,
      )}" stroke="#eee"/>`,
    );
    const x = (p.xMax * i) / 5;
    out.push(
      `<text x="${toX(p, x)}" y="${
        p.top + p.height + 16
      }" text-anchor="middle">${xFormat(x)}</text>`,
    );
  }
  return out.join('');
}

function legend(names: string[], top: number, extra: string[] = []): string {
  const items = names.map(
    (name, i) =>
      `<rect x="${width - right + 15}" y="${
        top + i * 22
      }" width="16" height="5" fill="${colors[name] ?? '#999'}"/><text x="${
        width - right + 38
      }" y="${top + i * 22 + 7}">${name}</text>`,
  );
  extra.forEach((text, i) =>
    items.push(
      `<text x="${width - right + 15}" y="${
        top + (names.length + i) * 22 + 14
      }" font-size="11" fill="#555">${text}</text>`,
    ),
  );
  return items.join('');
}

function page(height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${left}" y="24" font-size="15" font-weight="bold">${title}</text>
${body}</svg>`;
}

const path = (p: Panel, values: readonly number[]) =>
  values
    .map(
      (v, i) =>
        `${i === 0 ? 'M' : 'L'}${toX(p, i).toFixed(1)},${toY(p, v).toFixed(1)}`,
    )
    .join('');

/**
 * One trace at one seed and cold start: load (in instances at the target) with each autoscaler's instances, the
 * minutes each violated the SLO as shaded strips, and p95 latency per 10 s against the 300 ms SLO.
 */
export function timelineSvg(trace: Trace, runs: readonly RunResult[]): string {
  const points = runs[0].instancesEvery10s.length;
  const perInstance = workloadTargets(runs[0]).requestsPerSecondPerInstance;
  const load: number[] = [];
  for (let i = 0; i < points; i++) {
    let sum = 0;
    const end = Math.min(trace.requestsPerSecond.length, (i + 1) * 10);
    for (let t = i * 10; t < end; t++) {
      sum += trace.requestsPerSecond[t];
    }
    load.push(sum / Math.max(1, end - i * 10) / perInstance);
  }
  const minutes = Math.ceil(points / 6);
  const top: Panel = {
    top: 45,
    height: 260,
    xMax: points - 1,
    yMax: Math.max(...load, ...runs.flatMap(r => r.instancesEvery10s)) * 1.05,
  };
  const strips = 350;
  const bottom: Panel = {
    top: strips + runs.length * 14 + 30,
    height: 200,
    xMax: points - 1,
    yMax: 1000,
  };
  const minuteFormat = (v: number) => `${Math.round((v * 10) / 60)}`;
  const body: string[] = [
    axes(top, 'instances', '', minuteFormat),
    `<path d="${path(top, load)}L${toX(top, points - 1)},${toY(top, 0)}L${toX(
      top,
      0,
    )},${toY(top, 0)}Z" fill="#ddd"/>`,
    ...runs.map(
      r =>
        `<path d="${path(top, r.instancesEvery10s)}" fill="none" stroke="${
          colors[r.autoscaler]
        }" stroke-width="${r.autoscaler === 'coderunner' ? 2.2 : 1.2}"/>`,
    ),
    `<text x="${left}" y="${
      strips - 6
    }" font-size="11">SLO-violation minutes (shaded)</text>`,
  ];
  runs.forEach((r, k) => {
    const y = strips + k * 14;
    body.push(
      `<rect x="${left}" y="${y}" width="${plotW}" height="11" fill="#f6f6f6"/>`,
    );
    for (const m of r.violatingMinutes) {
      body.push(
        `<rect x="${toX(top, m * 6).toFixed(1)}" y="${y}" width="${Math.max(
          1.5,
          (plotW * 6) / top.xMax,
        ).toFixed(1)}" height="11" fill="${colors[r.autoscaler]}"/>`,
      );
    }
    body.push(
      `<text x="${left + plotW + 6}" y="${y + 10}" font-size="11">${
        r.violationMinutes
      } min</text>`,
    );
  });
  body.push(
    axes(
      bottom,
      'p95 latency (ms)',
      'minutes',
      minuteFormat,
      v => `${Math.round(v)}`,
    ),
  );
  body.push(
    `<line x1="${left}" x2="${left + plotW}" y1="${toY(bottom, 300)}" y2="${toY(
      bottom,
      300,
    )}" stroke="black" stroke-dasharray="5,4"/>`,
  );
  body.push(
    `<text x="${left + plotW - 4}" y="${
      toY(bottom, 300) - 4
    }" text-anchor="end" font-size="11">SLO 300 ms</text>`,
  );
  for (const r of runs) {
    body.push(
      `<path d="${path(bottom, r.p95Every10s)}" fill="none" stroke="${
        colors[r.autoscaler]
      }" stroke-width="1" opacity="0.8"/>`,
    );
  }
  body.push(
    legend(
      runs.map(r => r.autoscaler),
      top.top,
      [
        'grey: load in instances',
        `at the ${Math.round(runs[0].targetUtilisation * 100)}% target`,
        'latency capped at 1,000 ms',
        `${minutes} minutes, seed ${runs[0].seed}`,
      ],
    ),
  );
  const height = bottom.top + bottom.height + 45;
  return page(
    height,
    `${trace.name}, ${runs[0].coldStartSeconds} s cold start: instances, SLO violations and p95 latency`,
    body.join(''),
  );
}

/**
 * Cost against violation minutes per autoscaler across the swept targets: each seed's points faint, the median over
 * seeds joined and labelled with its target.
 */
export function frontierChartSvg(
  medians: ReadonlyArray<SweepPoint>,
  perSeed: ReadonlyArray<SweepPoint>,
): string {
  // The cost axis starts near the cheapest point: every autoscaler spends most of it, the differences are what matter.
  const xMin =
    Math.floor(
      (Math.min(...perSeed.map(p => p.instanceMinutes)) * 0.95) / 1000,
    ) * 1000;
  const panel: Panel = {
    top: 45,
    height: 420,
    xMax: Math.max(...perSeed.map(p => p.instanceMinutes)) * 1.03 - xMin,
    yMax: Math.max(...perSeed.map(p => p.violationMinutes), 1) * 1.05,
  };
  const px = (v: number) => toX(panel, v - xMin);
  const names = [...new Set(medians.map(p => p.autoscaler))];
  const body: string[] = [
    axes(
      panel,
      'SLO-violation minutes (all families)',
      'instance-minutes (all families, thousands)',
      v => `${Math.round((v + xMin) / 100) / 10}`,
      v => `${Math.round(v)}`,
    ),
  ];
  for (const p of perSeed) {
    body.push(
      `<circle cx="${px(p.instanceMinutes).toFixed(1)}" cy="${toY(
        panel,
        p.violationMinutes,
      ).toFixed(1)}" r="2.5" fill="${colors[p.autoscaler]}" opacity="0.3"/>`,
    );
  }
  for (const name of names) {
    const line = medians
      .filter(p => p.autoscaler === name)
      .sort((a, b) => a.target - b.target);
    body.push(
      `<path d="${line
        .map(
          (p, i) =>
            `${i === 0 ? 'M' : 'L'}${px(p.instanceMinutes).toFixed(1)},${toY(
              panel,
              p.violationMinutes,
            ).toFixed(1)}`,
        )
        .join('')}" fill="none" stroke="${colors[name]}" stroke-width="${
        name === 'coderunner' ? 2.5 : 1.5
      }"/>`,
    );
    for (const p of line) {
      body.push(
        `<circle cx="${px(p.instanceMinutes).toFixed(1)}" cy="${toY(
          panel,
          p.violationMinutes,
        ).toFixed(1)}" r="4.5" fill="${colors[name]}"/>`,
      );
      body.push(
        `<text x="${px(p.instanceMinutes) + 6}" y="${
          toY(panel, p.violationMinutes) - 6
        }" font-size="10" fill="${colors[name]}">${Math.round(
          p.target * 100,
        )}%</text>`,
      );
    }
  }
  body.push(
    legend(names, panel.top, [
      'labels: target utilisation',
      'big dots: median of seeds',
      'faint dots: one seed each',
      'lower-left is better',
    ]),
  );
  return page(
    panel.top + panel.height + 50,
    'Cost against SLO-violation minutes across targets (15 s cold start)',
    body.join(''),
  );
}

/** Per seed: instance-minutes saved against HPA and violation minutes above HPA, with the goal lines. */
export function seedSpreadSvg(perSeed: readonly SeedGoals[]): string {
  const xs = perSeed.map(s => s.savedPercent);
  const ys = perSeed.map(s => s.violationMinutesAboveHpa);
  const xLo = Math.min(0, ...xs) - 2;
  const xHi = Math.max(20, ...xs) + 2;
  const yLo = Math.min(-10, ...ys) * 1.1;
  const yHi = Math.max(10, ...ys) * 1.1;
  const panel: Panel = {
    top: 45,
    height: 380,
    xMax: xHi - xLo,
    yMax: yHi - yLo,
  };
  const px = (v: number) => toX(panel, v - xLo);
  const py = (v: number) => toY(panel, v - yLo);
  const body: string[] = [
    axes(
      panel,
      'violation minutes above HPA (lower is better)',
      'instance-minutes saved against HPA, % (higher is better)',
      v => `${Math.round(v + xLo)}`,
      v => `${Math.round(v + yLo)}`,
    ),
    `<line x1="${px(15)}" x2="${px(15)}" y1="${panel.top}" y2="${
      panel.top + panel.height
    }" stroke="#888" stroke-dasharray="5,4"/>`,
    `<text x="${px(15) + 4}" y="${
      panel.top + 12
    }" font-size="11" fill="#555">goal: 15% saved</text>`,
    `<line x1="${left}" x2="${left + plotW}" y1="${py(0)}" y2="${py(
      0,
    )}" stroke="#888" stroke-dasharray="5,4"/>`,
    `<text x="${left + plotW - 4}" y="${
      py(0) - 4
    }" text-anchor="end" font-size="11" fill="#555">goal: no more violation minutes than HPA</text>`,
  ];
  perSeed.forEach((s, i) => {
    body.push(
      `<circle cx="${px(xs[i]).toFixed(1)}" cy="${py(ys[i]).toFixed(
        1,
      )}" r="5" fill="${colors.coderunner}"/>`,
    );
    // Alternate labels below and above the dots: seeds often land close together.
    const dy = i % 2 === 0 ? 14 : -6;
    body.push(
      `<text x="${px(xs[i]) + 7}" y="${py(ys[i]) + dy}" font-size="10">seed ${
        s.seed
      }</text>`,
    );
  });
  body.push(
    legend(['coderunner'], panel.top, [
      'one dot per seed:',
      'all families, cold starts',
      '2, 15 and 60 s, 70% target',
    ]),
  );
  return page(
    panel.top + panel.height + 50,
    'Per-seed spread: ours against HPA at the matched target',
    body.join(''),
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
