import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Trace } from './traces';

/**
 * Parses a `second,requests_per_second` CSV (a header line is optional). Seconds must increase; a second left
 * out keeps the previous rate.
 */
export function parseCsvTrace(name: string, text: string): Trace {
  const points: Array<[number, number]> = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (
      line === '' ||
      line.startsWith('#') ||
      (index === 0 && /[a-z]/i.test(line))
    ) {
      return;
    }
    const [second, rate] = line.split(',').map(cell => Number(cell.trim()));
    if (
      !Number.isInteger(second) ||
      second < 0 ||
      !Number.isFinite(rate) ||
      rate < 0
    ) {
      throw new Error(
        `${name}, line ${
          index + 1
        }: expected "second,requests_per_second" with a whole second and a rate of 0 or more, got "${line}"`,
      );
    }
    if (points.length > 0 && second <= points[points.length - 1][0]) {
      throw new Error(
        `${name}, line ${index + 1}: second ${second} is not after ${
          points[points.length - 1][0]
        }; sort the file by second`,
      );
    }
    points.push([second, rate]);
  });
  if (points.length === 0) {
    throw new Error(`${name}: no data rows; add lines like "0,120"`);
  }
  const seconds = points[points.length - 1][0] + 1;
  const requestsPerSecond = new Float64Array(seconds);
  let next = 0;
  let rate = points[0][1];
  for (let t = 0; t < seconds; t++) {
    if (next < points.length && points[next][0] === t) {
      rate = points[next][1];
      next += 1;
    }
    requestsPerSecond[t] = rate;
  }
  return { name, source: 'csv', spike: false, requestsPerSecond };
}

/** Reads a CSV trace file; the trace is named after the file. */
export function loadCsvTrace(path: string): Trace {
  return parseCsvTrace(
    basename(path).replace(/\.csv$/i, ''),
    readFileSync(path, 'utf8'),
  );
}
