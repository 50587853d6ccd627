/** Longer lines are cut here and marked, so one runaway line cannot fill the store. */
export const MAX_LINE_LENGTH = 8192;
export const TRUNCATION_MARKER = ' …[truncated]';

/**
 * Turns chunks of process output into whole lines: a line split across chunks is joined,
 * `\r\n` ends a line like `\n`, and an over-long line is cut with a visible marker.
 *
 * @internal
 */
export class LineSplitter {
  private partial = '';

  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > MAX_LINE_LENGTH) {
      parts.push(this.partial);
      this.partial = '';
    }
    return parts.map(limitLength);
  }

  /** The unfinished last line, when the process ends without a final newline. */
  flush(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest ? [limitLength(rest)] : [];
  }
}

function limitLength(line: string): string {
  return line.length > MAX_LINE_LENGTH
    ? line.slice(0, MAX_LINE_LENGTH) + TRUNCATION_MARKER
    : line;
}
