import { formatWhen } from './formatWhen';

describe('formatWhen', () => {
  const now = Date.parse('2025-05-01T12:00:00Z');

  it.each([
    ['2025-05-01T12:00:00Z', 'just now'],
    ['2025-05-01T11:59:30Z', '30 seconds ago'],
    ['2025-05-01T11:55:00Z', '5 minutes ago'],
    ['2025-05-01T09:00:00Z', '3 hours ago'],
    ['2025-04-29T12:00:00Z', '2 days ago'],
  ])('%s is %s', (iso, expected) => {
    expect(formatWhen(iso, now)).toBe(expected);
  });

  it('says nothing for no time', () => {
    expect(formatWhen(undefined)).toBe('');
  });
});
