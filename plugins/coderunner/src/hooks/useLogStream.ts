import { discoveryApiRef, identityApiRef, useApi } from '@backstage/core-plugin-api';
import { LogFilter, LogLine } from '@coderunner/plugin-coderunner-common';
import { useEffect, useRef, useState } from 'react';
import { LogConnectionState, LogStreamClient } from '../api/LogStreamClient';

/** Lines kept in the browser at most; older ones are dropped (the download has them all). */
export const MAX_BROWSER_LINES = 100_000;

/**
 * A line of the view, or a marker for lines that could not be delivered.
 *
 * @public
 */
export type LogEntry = LogLine | { gap: true; seq: number; from: number; to: number };

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
  const discoveryApi = useApi(discoveryApiRef);
  const identityApi = useApi(identityApiRef);
  const lines = useRef<LogEntry[]>([]);
  const [version, setVersion] = useState(0);
  const [connection, setConnection] = useState<LogConnectionState>('connecting');
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
    const client = new LogStreamClient(
      { discoveryApi, identityApi },
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
      client.close();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [discoveryApi, identityApi, options.entityRef, options.environment, options.tail, filterKey]);

  return { lines: lines.current, version, connection, error, dropped };
}
