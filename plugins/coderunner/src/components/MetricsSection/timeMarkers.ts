import { Release } from '@coderunner/plugin-coderunner-common';
import { MetricSeriesPoint } from '../../api';
import { CoderunnerTranslate } from '../../translation';

/** A moment worth a vertical line on every chart. */
export interface TimeMarker {
  kind: 'release' | 'instances' | 'decision';
  at: number;
  /** For the text alternative, e.g. `Release 3`. */
  label: string;
  /** On the chart, e.g. `#3`. */
  short: string;
}

/** Releases that rolled out (built) become markers at the time their build finished. */
export function releaseMarkers(
  releases: Release[],
  t: CoderunnerTranslate,
): TimeMarker[] {
  return releases
    .filter(r => r.builtAt)
    .map(r => ({
      kind: 'release',
      at: Date.parse(r.builtAt!),
      label: t('metricsSection.releaseMarker', { number: String(r.number) }),
      short: `#${r.number}`,
    }));
}

/**
 * A marker wherever the number of ready instances changes (a scale, a crash,
 * a rollout's overlap). Steps average their polls, so the count is rounded
 * to whole instances first.
 */
export function instanceCountMarkers(
  points: MetricSeriesPoint[],
  t: CoderunnerTranslate,
): TimeMarker[] {
  const markers: TimeMarker[] = [];
  let previous: number | undefined;
  for (const point of points) {
    const count = Math.round(point.value);
    if (previous !== undefined && count !== previous) {
      markers.push({
        kind: 'instances',
        at: Date.parse(point.at),
        label: t('metricsSection.instancesMarker', { number: String(count) }),
        short: `×${count}`,
      });
    }
    previous = count;
  }
  return markers;
}
