import { englishTranslate } from '../__testUtils__/translations';
import { formatWhen } from './formatWhen';

const t = englishTranslate();

describe('formatWhen', () => {
  const now = Date.parse('2025-05-01T12:00:00Z');

  it.each([
    ['2025-05-01T12:00:00Z', 'just now'],
    ['2025-05-01T11:59:30Z', '30 seconds ago'],
    ['2025-05-01T11:55:00Z', '5 minutes ago'],
    ['2025-05-01T09:00:00Z', '3 hours ago'],
    ['2025-04-29T12:00:00Z', '2 days ago'],
    ['2025-04-30T12:00:00Z', 'yesterday'],
    ['2025-05-01T12:15:00Z', 'in 15 minutes'],
    ['2025-05-01T13:00:00Z', 'in 1 hour'],
  ])('%s is %s', (iso, expected) => {
    expect(formatWhen(iso, t, now)).toBe(expected);
  });

  it('says nothing for no time', () => {
    expect(formatWhen(undefined, t)).toBe('');
  });
});
