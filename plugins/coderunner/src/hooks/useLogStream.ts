import { useApi } from '@backstage/core-plugin-api';
import { LogFilter, LogLine } from '@coderunner/plugin-coderunner-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { coderunnerApiRef, LogConnectionState, logsApiRef } from '../api';

/** Sequence numbers one "load earlier" reads from the history API. */
export const EARLIER_PAGE = 5000;

/** Lines kept in the browser at most; older ones are dropped (the download has them all). */
export const MAX_BROWSER_LINES = 100_000;

/**
 * A line of the view, or a marker for lines that could not be delivered.
 *
 * @public
 */
export type LogEntry =
  | LogLine
  | { gap: true; seq: number; from: number; to: number };

/**
 * Follows the logs of one environment of an entity, live. Lines live in a ref (not state) so
 * a million of them going by never copies big arrays; `version` changes at most once a frame.
 *
 * @public
 */
export function useLogStream(options: {
  entityRef: string;
  environment: string;
  filter: LogFilter;
  tail?: number;
}) {
  const logsApi = useApi(logsApiRef);
  const api = useApi(coderunnerApiRef);
  const lines = useRef<LogEntry[]>([]);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  /** The buffer whose lines go back to the first one (nothing earlier to load). */
  const startReached = useRef<LogEntry[]>();
  const [version, setVersion] = useState(0);
  const [connection, setConnection] =
    useState<LogConnectionState>('connecting');
  const [error, setError] = useState<{ code: string; message: string }>();
  const [dropped, setDropped] = useState(0);
  const filterKey = JSON.stringify(options.filter);

  useEffect(() => {
    lines.current = [];
    setDropped(0);
    setError(undefined);
    setVersion(v => v + 1);
    let frame: number | undefined;
    const changed = () => {
      if (frame === undefined) {
        frame = requestAnimationFrame(() => {
          frame = undefined;
          setVersion(v => v + 1);
        });
      }
    };
    const append = (entries: LogEntry[]) => {
      const buffer = lines.current;
      for (const entry of entries) buffer.push(entry);
      // Trim in bulk (a tenth at a time) so the cost of dropping old lines stays small.
      if (buffer.length > MAX_BROWSER_LINES * 1.1) {
        const excess = buffer.length - MAX_BROWSER_LINES;
        buffer.splice(0, excess);
        setDropped(d => d + excess);
      }
      changed();
    };
    const subscription = logsApi.follow(
      {
        entityRef: options.entityRef,
        environment: options.environment,
        filter: JSON.parse(filterKey),
        tail: options.tail ?? 5000,
      },
      {
        onLines: items => {
          setError(undefined);
          append(items);
        },
        onGap: (from, to) => append([{ gap: true, seq: from, from, to }]),
        onError: (code, message) => setError({ code, message }),
        onConnection: setConnection,
      },
    );
    return () => {
      subscription.close();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [
    logsApi,
    options.entityRef,
    options.environment,
    options.tail,
    filterKey,
  ]);

  /**
   * Puts the lines before the oldest one shown in front of it, read from the history API with
   * the same filter: the stream only starts with the last few thousand.
   */
  const loadEarlier = useCallback(async () => {
    const first = lines.current.find(
      (entry): entry is LogLine => !('gap' in entry),
    );
    if (!first || first.seq <= 1) return;
    const buffer = lines.current;
    setLoadingEarlier(true);
    try {
      const filter: LogFilter = JSON.parse(filterKey);
      let upTo = first.seq - 1;
      const earlier: LogLine[] = [];
      // With a filter a window may hold no match: look further back, a few windows at most.
      for (
        let window = 0;
        window < 20 && earlier.length === 0 && upTo > 0;
        window++
      ) {
        const after = Math.max(0, upTo - EARLIER_PAGE);
        const page = await api.readDeploymentLogs(
          options.entityRef,
          options.environment,
          {
            after,
            limit: upTo - after,
            streams: filter.streams,
            levels: filter.levels,
            releaseId: filter.releaseId,
            instanceId: filter.instanceId,
          },
        );
        for (const line of page.items) {
          if (line.seq <= upTo) earlier.push(line);
        }
        upTo = after;
      }
      // The view may have switched (environment, filter) meanwhile: then this page is stale.
      if (lines.current !== buffer) return;
      buffer.unshift(...earlier);
      if (upTo === 0) startReached.current = buffer;
      setVersion(v => v + 1);
    } finally {
      setLoadingEarlier(false);
    }
  }, [api, options.entityRef, options.environment, filterKey]);

  const first = lines.current.find(
    (entry): entry is LogLine => !('gap' in entry),
  );
  const hasEarlier =
    first !== undefined &&
    first.seq > 1 &&
    startReached.current !== lines.current;

  return {
    lines: lines.current,
    version,
    connection,
    error,
    dropped,
    loadEarlier,
    loadingEarlier,
    hasEarlier,
  };
}
