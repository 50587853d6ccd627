import { detectLevel } from './detectLevel';

describe('detectLevel', () => {
  it.each([
    ['ERROR something broke', 'error'],
    ['2026-11-26T10:00:00Z WARN disk almost full', 'warn'],
    ['[info] listening on 3000', 'info'],
    ['level=debug msg="cache miss"', 'debug'],
    ['{"level":"error","msg":"boom"}', 'error'],
    ['{"level":50,"msg":"pino error"}', 'error'],
    ['{"level":30,"msg":"pino info"}', 'info'],
    ['{"severity":"WARNING","message":"gcp style"}', 'warn'],
    ['\u001b[31mERROR\u001b[0m red error', 'error'],
    ['FATAL: out of memory', 'fatal'],
  ])('finds the level of %j', (line, level) => {
    expect(detectLevel(line)).toBe(level);
  });

  it.each([
    'tick 42',
    'an error-free run',
    'an error occurred while ticking', // prose, not a level
    '{"msg":"no level here"}',
    '{not json',
    '',
  ])('finds no level in %j', line => {
    expect(detectLevel(line)).toBeUndefined();
  });
});
