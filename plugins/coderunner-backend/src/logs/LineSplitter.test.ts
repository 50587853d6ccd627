import {
  LineSplitter,
  MAX_LINE_LENGTH,
  TRUNCATION_MARKER,
} from './LineSplitter';

describe('LineSplitter', () => {
  it('joins a line split across chunks and ends lines at \\n and \\r\\n', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('hel')).toEqual([]);
    expect(splitter.push('lo\r\nwor')).toEqual(['hello']);
    expect(splitter.push('ld\n\nlast')).toEqual(['world', '']);
    expect(splitter.flush()).toEqual(['last']);
    expect(splitter.flush()).toEqual([]);
  });

  it('cuts an over-long line once with a visible marker, however many chunks it spans', () => {
    const splitter = new LineSplitter();
    const out: string[] = [];
    out.push(...splitter.push('start '));
    for (let i = 0; i < 10; i++) out.push(...splitter.push('x'.repeat(5000)));
    out.push(...splitter.push('y tail\nnext line\n'));
    expect(out).toHaveLength(2);
    expect(out[0]).toHaveLength(MAX_LINE_LENGTH + TRUNCATION_MARKER.length);
    expect(out[0].startsWith('start xxx')).toBe(true);
    expect(out[0].endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(out[1]).toBe('next line');
  });

  it('cuts a long line that arrives whole, and keeps ANSI codes', () => {
    const splitter = new LineSplitter();
    const [long, colour] = splitter.push(
      `${'z'.repeat(MAX_LINE_LENGTH + 10)}\n\u001b[31mred\u001b[0m\n`,
    );
    expect(long).toBe(`${'z'.repeat(MAX_LINE_LENGTH)}${TRUNCATION_MARKER}`);
    expect(colour).toBe('\u001b[31mred\u001b[0m');
  });
});
