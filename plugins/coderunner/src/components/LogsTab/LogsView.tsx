import { EmptyState } from '@backstage/core-components';
import { errorApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import FormControl from '@material-ui/core/FormControl';
import IconButton from '@material-ui/core/IconButton';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ArrowDownward from '@material-ui/icons/ArrowDownward';
import ArrowUpward from '@material-ui/icons/ArrowUpward';
import {
  LOG_LEVELS,
  LOG_STREAMS,
  LogFilter,
  LogLevel,
  LogLine,
  LogStream,
} from '@coderunner/plugin-coderunner-common';
import { useEffect, useMemo, useRef, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { useLogHistory, useLogSearch } from '../../hooks/useLogHistory';
import { useLogSources } from '../../hooks/useLogSources';
import { LogEntry, useLogStream } from '../../hooks/useLogStream';
import { coderunnerTranslationRef } from '../../translation';
import { stripAnsi } from './ansi';
import { ConnectionIndicator } from './ConnectionIndicator';
import { LogLinesView } from './LogLinesView';
import { errorTitle } from '../../lib/errorTitle';

const ALL = '';
const RANGES: Record<string, number | undefined> = {
  all: undefined,
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '24h': 24 * 60 * 60_000,
};

/**
 * The live logs of one entity: environment, instance, release, stream and level filters, a
 * time range, search with highlight, follow and pause, copy and download.
 */
// The filters sit on the page's grey, where the theme's subtle label grey falls short of 4.5:1
// (WCAG 1.4.3); a focused label keeps the theme's colour.
const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.primary },
}));

export function LogsView(props: { entityRef: string; environments: string[] }) {
  const { entityRef, environments } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const errorApi = useApi(errorApiRef);
  const [environment, setEnvironment] = useState(environments[0]);
  const [instanceId, setInstanceId] = useState(ALL);
  const [releaseId, setReleaseId] = useState(ALL);
  const [stream, setStream] = useState(ALL);
  const [minLevel, setMinLevel] = useState(ALL);
  const [range, setRange] = useState('all');
  const [search, setSearch] = useState('');
  /** The search as sent to the server: the box's text once typing paused. */
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  /** Lines read from the history around a match or a time, shown instead of the live tail. */
  const [context, setContext] = useState<{ lines: LogLine[]; focus: number }>();
  const [jumpTime, setJumpTime] = useState('');
  const [jumpMessage, setJumpMessage] = useState('');
  const [follow, setFollow] = useState(true);
  const pausedAt = useRef(0);

  const filter: LogFilter = useMemo(
    () => ({
      instanceId: instanceId || undefined,
      releaseId: releaseId || undefined,
      streams: stream ? [stream as LogStream] : undefined,
      levels: minLevel
        ? LOG_LEVELS.slice(LOG_LEVELS.indexOf(minLevel as LogLevel))
        : undefined,
    }),
    [instanceId, releaseId, stream, minLevel],
  );
  const {
    lines,
    version,
    connection,
    error,
    dropped,
    loadEarlier,
    loadingEarlier,
    hasEarlier,
  } = useLogStream({
    entityRef,
    environment,
    filter,
  });

  const sources = useLogSources(entityRef, environment, connection);

  const since = RANGES[range]
    ? new Date(Date.now() - RANGES[range]!).toISOString()
    : undefined;
  const live: LogEntry[] = useMemo(
    () =>
      since ? lines.filter(l => 'gap' in l || l.createdAt >= since) : lines,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [lines, version, since],
  );
  const visible: LogEntry[] = context?.lines ?? live;

  // Search runs on the server over the whole stored history, with the current filters; a
  // match is then shown with the lines around it, read from the history.
  useDebounce(() => setQuery(search.trim()), 300, [search]);
  const target = { entityRef, environment, filter, since };
  const history = useLogHistory(target);
  // Nothing is stored for an environment that was never deployed: no search, no connection state.
  const notDeployed = error?.code === 'not-found';
  const found = useLogSearch(target, notDeployed ? '' : query);
  const seqs = found.value?.seqs ?? [];

  const showAround = async (seq: number) => {
    setFollow(false);
    const page = await history.readAround(seq);
    setContext({ lines: page.items, focus: seq });
  };
  const showMatch = (index: number) => {
    setActive(index);
    showAround(seqs[index]).catch(e => errorApi.post(e));
  };
  useEffect(() => {
    if (found.value?.seqs.length) showMatch(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [found.value]);
  useEffect(() => setContext(undefined), [environment, filter]);

  const jumpToTime = async () => {
    const time = new Date(jumpTime);
    if (Number.isNaN(time.getTime())) return;
    const line = await history.firstLineAt(time.toISOString());
    setJumpMessage(
      line
        ? ''
        : t('logsTab.jumpToTime.nothingAfter', {
            time: time.toLocaleString(),
          }),
    );
    if (line) await showAround(line.seq);
  };
  const backToTail = () => {
    setContext(undefined);
    setFollow(true);
  };
  const focusIndex = context
    ? context.lines.findIndex(l => l.seq === context.focus)
    : -1;
  const total = dropped + lines.length;
  const newLines = follow || context ? 0 : total - pausedAt.current;

  const changeFollow = (next: boolean) => {
    // Counted from the buffer as it is now: lines that arrived since the last render are not new.
    if (!next) pausedAt.current = dropped + lines.length;
    setFollow(next);
  };
  const goTo = (step: number) => {
    if (!seqs.length) return;
    showMatch((active + step + seqs.length) % seqs.length);
  };
  const copy = () =>
    navigator.clipboard
      .writeText(
        visible.map(l => ('gap' in l ? '' : stripAnsi(l.line))).join('\n'),
      )
      .catch(e => errorApi.post(e));
  const download = (format: 'text' | 'ndjson') =>
    history.download(format).catch(e => errorApi.post(e));

  const searchCount = () => {
    if (!search || notDeployed) return '';
    if (found.loading || search.trim() !== query) {
      return t('logsTab.search.searching');
    }
    if (found.error) {
      return t('logsTab.search.failed', {
        message: errorTitle(found.error, t),
      });
    }
    const counts = {
      current: String(seqs.length ? active + 1 : 0),
      total: seqs.length.toLocaleString(),
    };
    return found.value?.next
      ? t('logsTab.searchCountMore', counts)
      : t('logsTab.searchCount', counts);
  };

  // How many lines are on screen, and which stretch of the history they are.
  const linesShown = () => {
    const count = visible.length.toLocaleString();
    const shown = dropped
      ? t('logsTab.lines.shownWithDropped', {
          lines: count,
          dropped: dropped.toLocaleString(),
        })
      : t('logsTab.lines.shown', { lines: count });
    if (!context) return shown;
    return t('logsTab.lines.inHistory', {
      first: String(context.lines[0]?.seq ?? ''),
      last: String(context.lines[context.lines.length - 1]?.seq ?? ''),
      shown,
    });
  };

  const select = (
    /** Names the elements' ids: the same in every language. */
    key: string,
    label: string,
    value: string,
    onChange: (v: string) => void,
    options: [string, string][],
  ) => (
    <FormControl variant="outlined" size="small" style={{ minWidth: 140 }}>
      {/* Named by its label and then its value ("Environment development"): the visible text. */}
      <InputLabel id={`coderunner-logs-${key}`} className={classes.label}>
        {label}
      </InputLabel>
      <Select
        label={label}
        labelId={`coderunner-logs-${key}`}
        SelectDisplayProps={{ id: `coderunner-logs-${key}-value` }}
        value={value}
        onChange={e => onChange(String(e.target.value))}
      >
        {options.map(([v, text]) => (
          <MenuItem key={v} value={v}>
            {text}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );

  return (
    <Box display="flex" flexDirection="column" gridGap={12}>
      <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={8}>
        {select(
          'Environment',
          t('logsTab.filters.environment'),
          environment,
          setEnvironment,
          environments.map(e => [e, e]),
        )}
        {select(
          'Instance',
          t('logsTab.filters.instance'),
          instanceId,
          setInstanceId,
          [
            [ALL, t('logsTab.filters.allInstances')],
            ...sources.instances.map(
              i =>
                [i.id, `${i.id.slice(0, 8)} (${i.state})`] as [string, string],
            ),
          ],
        )}
        {select(
          'Release',
          t('logsTab.filters.release'),
          releaseId,
          setReleaseId,
          [
            [ALL, t('logsTab.filters.allReleases')],
            ...sources.releases.map(
              r =>
                [
                  r.id,
                  t('logsTab.filters.releaseOption', {
                    number: String(r.number),
                    status: r.status,
                  }),
                ] as [string, string],
            ),
          ],
        )}
        {select('Stream', t('logsTab.filters.stream'), stream, setStream, [
          [ALL, t('logsTab.filters.allStreams')],
          ...LOG_STREAMS.map(s => [s, s] as [string, string]),
        ])}
        {select('Level', t('logsTab.filters.level'), minLevel, setMinLevel, [
          [ALL, t('logsTab.filters.allLevels')],
          ...LOG_LEVELS.map(
            l =>
              [l, t('logsTab.filters.levelAndAbove', { level: l })] as [
                string,
                string,
              ],
          ),
        ])}
        {select('Time', t('logsTab.filters.time'), range, setRange, [
          ['all', t('logsTab.filters.allTime')],
          ['15m', t('logsTab.filters.last15Minutes')],
          ['1h', t('logsTab.filters.lastHour')],
          ['24h', t('logsTab.filters.last24Hours')],
        ])}
        <TextField
          variant="outlined"
          size="small"
          label={t('logsTab.search.label')}
          InputLabelProps={{ className: classes.label }}
          value={search}
          onChange={e => setSearch(e.target.value)}
          onKeyDown={e => e.key === 'Enter' && goTo(e.shiftKey ? -1 : 1)}
          inputProps={{ 'aria-label': t('logsTab.search.ariaLabel') }}
        />
        <Typography variant="body2" data-testid="search-count">
          {searchCount()}
        </Typography>
        <Tooltip title={t('logsTab.search.previousMatch')}>
          <IconButton
            size="small"
            aria-label={t('logsTab.search.previousMatch')}
            onClick={() => goTo(-1)}
          >
            <ArrowUpward />
          </IconButton>
        </Tooltip>
        <Tooltip title={t('logsTab.search.nextMatch')}>
          <IconButton
            size="small"
            aria-label={t('logsTab.search.nextMatch')}
            onClick={() => goTo(1)}
          >
            <ArrowDownward />
          </IconButton>
        </Tooltip>
        <TextField
          variant="outlined"
          size="small"
          type="datetime-local"
          label={t('logsTab.jumpToTime.label')}
          InputLabelProps={{ shrink: true, className: classes.label }}
          value={jumpTime}
          onChange={e => setJumpTime(e.target.value)}
          onKeyDown={e =>
            e.key === 'Enter' && jumpToTime().catch(err => errorApi.post(err))
          }
          inputProps={{ 'aria-label': t('logsTab.jumpToTime.label'), step: 1 }}
        />
        <Button
          size="small"
          variant="outlined"
          disabled={!jumpTime}
          onClick={() => jumpToTime().catch(e => errorApi.post(e))}
        >
          {t('logsTab.jumpToTime.go')}
        </Button>
        <Box flexGrow={1} />
        {!notDeployed && <ConnectionIndicator state={connection} />}
      </Box>
      <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={8}>
        {context ? (
          <Button
            size="small"
            variant="contained"
            color="primary"
            onClick={backToTail}
          >
            {t('logsTab.backToTail')}
          </Button>
        ) : (
          <Button
            size="small"
            variant={follow ? 'contained' : 'outlined'}
            color="primary"
            onClick={() => changeFollow(!follow)}
          >
            {follow ? t('logsTab.following') : t('logsTab.paused')}
          </Button>
        )}
        {newLines > 0 && (
          <Button
            size="small"
            variant="contained"
            color="secondary"
            onClick={() => changeFollow(true)}
          >
            {t('logsTab.newLines', { number: String(newLines) })}
          </Button>
        )}
        {hasEarlier && !context && (
          <Button
            size="small"
            variant="outlined"
            disabled={loadingEarlier}
            onClick={() => loadEarlier().catch(e => errorApi.post(e))}
          >
            {loadingEarlier
              ? t('logsTab.loadingEarlier')
              : t('logsTab.loadEarlier')}
          </Button>
        )}
        <ButtonGroup size="small">
          <Button onClick={copy}>{t('logsTab.copy')}</Button>
          <Button onClick={() => download('text')}>
            {t('logsTab.downloadText')}
          </Button>
          <Button onClick={() => download('ndjson')}>
            {t('logsTab.downloadNdjson')}
          </Button>
        </ButtonGroup>
        {jumpMessage && <Typography variant="body2">{jumpMessage}</Typography>}
        <Typography variant="body2">{linesShown()}</Typography>
      </Box>
      {error?.code === 'not-found' && (
        <EmptyState
          missing="data"
          title={t('logsTab.notDeployed.title', { environment })}
          description={t('logsTab.notDeployed.description')}
        />
      )}
      {error && error.code !== 'not-found' && (
        <Typography color="error">{error.message}</Typography>
      )}
      {!error && (
        <LogLinesView
          lines={visible}
          version={version}
          search={search}
          activeIndex={focusIndex >= 0 ? focusIndex : undefined}
          anchor={context?.focus}
          follow={follow && !context}
          // Scrolling through lines read around a match never switches back to the live tail.
          onFollowChange={context ? () => {} : changeFollow}
        />
      )}
    </Box>
  );
}
