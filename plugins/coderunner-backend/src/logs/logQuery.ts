import { InputError } from '@backstage/errors';
import {
  LOG_LEVELS,
  LOG_STREAMS,
  LogLevel,
  LogStream,
} from '@coderunner/plugin-coderunner-common';
import { Response } from 'express';
import { LogQuery, LogStore } from './LogStore';

type Query = Record<string, unknown>;

/** The most lines one download holds; narrow the time range for more. */
export const MAX_DOWNLOAD_LINES = 1_000_000;

/**
 * Reads the log query parameters of the history API (`after`, `limit`, `stream`, `level`,
 * `q`, `since`, `until`, `releaseId`, `instanceId`); a bad value is an InputError that says
 * what to send instead.
 *
 * @internal
 */
export function parseLogQuery(query: Query): LogQuery {
  const number = (name: string) => {
    const value = query[name];
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) {
      throw new InputError(`${name} must be a whole number, got "${value}"`);
    }
    return parsed;
  };
  const list = <T extends string>(
    name: string,
    allowed: T[],
  ): T[] | undefined => {
    if (query[name] === undefined) return undefined;
    const values = String(query[name])
      .split(',')
      .map(s => s.trim())
      .filter(Boolean);
    const unknown = values.filter(v => !allowed.includes(v as T));
    if (unknown.length) {
      throw new InputError(
        `Unknown ${name} ${unknown.join(', ')}; use ${allowed.join(', ')}.`,
      );
    }
    return values as T[];
  };
  const time = (name: string) => {
    const value = query[name];
    if (value === undefined) return undefined;
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) {
      throw new InputError(
        `${name} must be an ISO 8601 time such as 2026-12-01T10:00:00Z, got "${value}"`,
      );
    }
    return date.toISOString();
  };
  const text = query.q === undefined ? undefined : String(query.q);
  if (text !== undefined && text.length > 200) {
    throw new InputError('q must be at most 200 characters');
  }
  const since = time('since');
  const until = time('until');
  if (since && until && since >= until) {
    throw new InputError(`since (${since}) must be before until (${until})`);
  }
  return {
    after: number('after'),
    limit: number('limit'),
    streams: list<LogStream>('stream', LOG_STREAMS),
    levels: list<LogLevel>('level', LOG_LEVELS),
    text: text || undefined,
    since,
    until,
    releaseId: query.releaseId ? String(query.releaseId) : undefined,
    instanceId: query.instanceId ? String(query.instanceId) : undefined,
  };
}

/**
 * Streams every matching line after the query's cursor as plain text (one line each) or
 * NDJSON (one LogLine object each), page by page so memory stays flat.
 *
 * @internal
 */
export async function writeLogDownload(
  res: Response,
  store: LogStore,
  deploymentId: string,
  query: LogQuery,
  format: 'text' | 'ndjson',
) {
  const head = await store.head(deploymentId);
  let after = query.after ?? 0;
  let written = 0;
  while (after < head && written < MAX_DOWNLOAD_LINES) {
    const page = await store.read(deploymentId, {
      ...query,
      after,
      limit: 5000,
    });
    if (page.lastSeq <= after) break;
    after = page.lastSeq;
    if (page.items.length === 0) continue;
    written += page.items.length;
    const body =
      format === 'text'
        ? page.items.map(item => `${item.line}\n`).join('')
        : page.items.map(item => `${JSON.stringify(item)}\n`).join('');
    if (!res.write(body)) {
      await new Promise(resolve => res.once('drain', resolve));
    }
  }
  res.end();
}
