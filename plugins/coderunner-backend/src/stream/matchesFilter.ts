import { LogFilter, LogLine } from '@coderunner/plugin-coderunner-common';

/**
 * Whether a line passes a subscription's filter; the same rules as the history API's.
 *
 * @internal
 */
export function matchesFilter(
  line: LogLine,
  filter: LogFilter,
  text?: string,
): boolean {
  if (filter.instanceId && line.instanceId !== filter.instanceId) return false;
  if (filter.releaseId && line.releaseId !== filter.releaseId) return false;
  if (filter.streams?.length && !filter.streams.includes(line.stream))
    return false;
  if (
    filter.levels?.length &&
    (!line.level || !filter.levels.includes(line.level))
  )
    return false;
  if (text && !line.line.toLocaleLowerCase('en-US').includes(text))
    return false;
  return true;
}
