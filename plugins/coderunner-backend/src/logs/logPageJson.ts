import { LogLine, LogPage } from '@coderunner/plugin-coderunner-common';

/**
 * Each line's JSON, written once per line object. The store hands out the same object for a
 * line for as long as it keeps the line (LineCache), so a page read again is joined from
 * these instead of serialized anew; objects it no longer holds are forgotten with them.
 */
const lineJson = new WeakMap<LogLine, string>();

/**
 * The JSON text of a log page, the same as `JSON.stringify(page)`, with each line's part
 * reused from earlier pages.
 *
 * @internal
 */
export function logPageJson(page: LogPage): string {
  const parts = new Array<string>(page.items.length);
  for (let i = 0; i < parts.length; i++) {
    const line = page.items[i];
    let json = lineJson.get(line);
    if (json === undefined) {
      json = JSON.stringify(line);
      lineJson.set(line, json);
    }
    parts[i] = json;
  }
  return `{"items":[${parts.join(',')}],"lastSeq":${JSON.stringify(
    page.lastSeq,
  )}}`;
}
