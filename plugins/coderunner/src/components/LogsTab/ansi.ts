import Anser from 'anser';

/**
 * A run of text with one colour, from a line with ANSI escape codes.
 */
export interface AnsiSpan {
  text: string;
  color?: string;
  background?: string;
  bold?: boolean;
}

const cache = new Map<string, AnsiSpan[]>();
const CACHE_SIZE = 2000;

/** Splits a line into coloured runs; plain lines (most of them) skip the parser. */
export function ansiSpans(line: string): AnsiSpan[] {
  if (!line.includes('\u001b[')) return [{ text: line }];
  const cached = cache.get(line);
  if (cached) return cached;
  const spans = Anser.ansiToJson(line, {
    json: true,
    remove_empty: true,
    use_classes: false,
  }).map(part => ({
    text: part.content,
    color: part.fg ? `rgb(${part.fg})` : undefined,
    background: part.bg ? `rgb(${part.bg})` : undefined,
    bold: part.decorations?.includes('bold'),
  }));
  if (cache.size > CACHE_SIZE) cache.clear();
  cache.set(line, spans);
  return spans;
}

/** The text of a line without escape codes, for copying and searching. */
export function stripAnsi(line: string): string {
  return line.includes('\u001b[')
    ? ansiSpans(line)
        .map(s => s.text)
        .join('')
    : line;
}
