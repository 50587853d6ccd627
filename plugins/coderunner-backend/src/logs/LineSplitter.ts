/** Longer lines are cut here and marked, so one runaway line cannot fill the store. */
export const MAX_LINE_LENGTH = 8192;
export const TRUNCATION_MARKER = ' …[truncated]';

/**
 * Turns chunks of process output into whole lines: a line split across chunks is joined,
 * `\r\n` ends a line like `\n`, and an over-long line is cut once with a visible marker (the
 * rest of it, up to its newline, is dropped, however many chunks it spans).
 *
 * @internal
 */
export class LineSplitter {
  private partial = '';
  /** The current line was cut already: drop its text until the next newline. */
  private skipping = false;

  push(chunk: string): string[] {
    const lines: string[] = [];
    let text = chunk;
    if (this.skipping) {
      const end = text.indexOf('\n');
      if (end < 0) return lines;
      this.skipping = false;
      text = text.slice(end + 1);
    }
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const part of parts) lines.push(limitLength(part));
    if (this.partial.length > MAX_LINE_LENGTH) {
      lines.push(limitLength(this.partial));
      this.partial = '';
      this.skipping = true;
    }
    return lines;
  }

  /** The unfinished last line, when the process ends without a final newline. */
  flush(): string[] {
    const rest = this.partial;
    this.partial = '';
    this.skipping = false;
    return rest ? [limitLength(rest)] : [];
  }
}

function limitLength(line: string): string {
  return line.length > MAX_LINE_LENGTH
    ? line.slice(0, MAX_LINE_LENGTH) + TRUNCATION_MARKER
    : line;
}
