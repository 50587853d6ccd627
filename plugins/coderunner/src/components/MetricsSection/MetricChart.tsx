import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { MetricSeries } from '../../api';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { useId } from 'react';
import AutoSizer from 'react-virtualized-auto-sizer';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { TimeMarker } from './timeMarkers';
import {
  formatWithUnit,
  MetricFormat,
  niceTicks,
  summarizeSeries,
} from '../../lib/metricFormats';
import { coderunnerTranslationRef } from '../../translation';

const CHART_HEIGHT = 150;

/** Four time ticks inside the window, so a series of one point still gets a readable axis. */
function timeTicks(from: number, to: number): number[] {
  return [0, 1, 2, 3].map(i => from + ((i + 0.5) * (to - from)) / 4);
}

function timeTick(windowMs: number) {
  const options: Intl.DateTimeFormatOptions =
    windowMs > 24 * 3600_000
      ? { month: 'short', day: 'numeric' }
      : { hour: '2-digit', minute: '2-digit' };
  return (at: number) => new Date(at).toLocaleString(undefined, options);
}

/**
 * One metric over the chosen window as a line, with markers. Its text
 * alternative (latest, lowest and highest value) is the visible caption, which
 * screen readers get instead of the drawing.
 */
export function MetricChart(props: {
  /** The metric's name as the reader reads it (translated), e.g. "Requests". */
  title: string;
  format: MetricFormat;
  series?: MetricSeries;
  /** How far back the chart reaches, for "in the last …", e.g. "6 hours". */
  windowLabel: string;
  markers: TimeMarker[];
  /** Says what to do when the series has nothing to show. */
  emptyText: string;
  /** Counters have a point per step, zeros included: all zeros is no data too. */
  emptyWhenZero?: boolean;
  /** Instance counts change in steps, not slopes. */
  stepped?: boolean;
  /** A level the series should stay at or under, drawn as a horizontal line and named in the caption. */
  target?: number;
  testId: string;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { format, series, markers, title } = props;
  const theme = useTheme();
  const titleId = useId();
  const points = series?.points ?? [];
  const summary =
    props.emptyWhenZero && points.every(p => p.value === 0)
      ? undefined
      : summarizeSeries(points);
  const from = series ? Date.parse(series.from) : 0;
  const to = series ? Date.parse(series.to) : 0;
  const data = points.map(p => ({ at: Date.parse(p.at), value: p.value }));
  const visibleMarkers = markers.filter(m => m.at >= from && m.at <= to);
  const tick = timeTick(to - from);
  const yTicks = niceTicks(
    Math.max(
      format.smallestAxisMax,
      props.target ?? 0,
      ...points.map(p => p.max ?? p.value),
    ),
    props.stepped,
  );
  const targetText =
    props.target === undefined
      ? ''
      : ` ${t('metricsSection.chart.target', {
          target: formatWithUnit(format, props.target),
        })}`;

  return (
    <Paper
      variant="outlined"
      component="figure"
      aria-labelledby={titleId}
      data-testid={props.testId}
      style={{ margin: 0, padding: theme.spacing(1.5), height: '100%' }}
    >
      <Typography variant="subtitle2" component="h4" id={titleId}>
        {format.unit && format.unit !== '%'
          ? t('metricsSection.chart.titleWithUnit', {
              title,
              unit: format.unit,
            })
          : title}
      </Typography>
      <Typography
        variant="body2"
        color="textSecondary"
        component="figcaption"
        data-testid="coderunner-metric-summary"
      >
        {summary
          ? `${t('metricsSection.chart.summary', {
              latest: formatWithUnit(format, summary.latest),
              lowest: formatWithUnit(format, summary.min),
              highest: formatWithUnit(format, summary.max),
              window: props.windowLabel,
            })}${targetText}`
          : `${props.emptyText}${targetText}`}
      </Typography>
      {summary && (
        <div aria-hidden style={{ height: CHART_HEIGHT, marginTop: 8 }}>
          <AutoSizer disableHeight>
            {({ width }) =>
              width > 0 && (
                <LineChart
                  width={width}
                  height={CHART_HEIGHT}
                  data={data}
                  margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
                >
                  <CartesianGrid
                    strokeDasharray="3 3"
                    stroke={theme.palette.divider}
                  />
                  <XAxis
                    dataKey="at"
                    type="number"
                    scale="time"
                    domain={[from, to]}
                    ticks={timeTicks(from, to)}
                    tickFormatter={tick}
                    tick={{ fontSize: 11, fill: theme.palette.text.secondary }}
                    minTickGap={4}
                  />
                  <YAxis
                    width={44}
                    domain={[0, yTicks[yTicks.length - 1]]}
                    ticks={yTicks}
                    interval={0}
                    tickFormatter={format.format}
                    tick={{ fontSize: 11, fill: theme.palette.text.secondary }}
                  />
                  <Tooltip
                    labelFormatter={at => new Date(Number(at)).toLocaleString()}
                    formatter={value => [
                      formatWithUnit(format, Number(value)),
                      title,
                    ]}
                  />
                  {visibleMarkers.map(marker => {
                    const release = marker.kind === 'release';
                    // Labels go on the side with room, so one at the window's end is not cut off.
                    const side =
                      marker.at - from > (to - from) / 2 ? 'Right' : 'Left';
                    return (
                      <ReferenceLine
                        key={`${marker.kind}-${marker.at}`}
                        x={marker.at}
                        stroke={
                          release
                            ? theme.palette.text.hint
                            : theme.palette.secondary.main
                        }
                        strokeDasharray={release ? '4 2' : '1 3'}
                        label={{
                          value: marker.short,
                          // Release labels at the top, instance counts at the bottom: they may share a moment.
                          position: `inside${
                            release ? 'Top' : 'Bottom'
                          }${side}`,
                          fontSize: 10,
                          fill: theme.palette.text.secondary,
                        }}
                      />
                    );
                  })}
                  {props.target !== undefined && (
                    <ReferenceLine
                      y={props.target}
                      stroke={theme.palette.error.main}
                      strokeDasharray="6 3"
                      label={{
                        value: t('metricsSection.chart.targetLine'),
                        position: 'insideTopRight',
                        fontSize: 10,
                        fill: theme.palette.text.secondary,
                      }}
                    />
                  )}
                  <Line
                    type={props.stepped ? 'stepAfter' : 'linear'}
                    dataKey="value"
                    stroke={theme.palette.primary.main}
                    strokeWidth={2}
                    dot={data.length === 1}
                    isAnimationActive={false}
                  />
                </LineChart>
              )
            }
          </AutoSizer>
        </div>
      )}
    </Paper>
  );
}
