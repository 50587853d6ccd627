import { englishTranslate } from '../__testUtils__/translations';
import { dayOfMonth, formatMoney } from './formatMoney';

const t = englishTranslate();

describe('formatMoney', () => {
  it('shows cents and the currency sign', () => {
    expect(formatMoney(12.3, 'USD')).toBe('$12.30');
    expect(formatMoney(0, 'EUR')).toBe('€0.00');
  });

  it('names days as people say them', () => {
    expect(dayOfMonth('2026-11-01', t)).toBe('the 1st');
    expect(dayOfMonth('2026-11-12', t)).toBe('the 12th');
    expect(dayOfMonth('2026-11-23', t)).toBe('the 23rd');
    expect(dayOfMonth('2026-11-22', t)).toBe('the 22nd');
    expect(dayOfMonth('2026-11-11', t)).toBe('the 11th');
    expect(dayOfMonth('2026-11-21', t)).toBe('the 21st');
    expect(dayOfMonth('2026-11-30', t)).toBe('the 30th');
  });
});
