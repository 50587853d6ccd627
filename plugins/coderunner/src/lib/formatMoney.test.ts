import { dayOfMonth, formatMoney } from './formatMoney';

describe('formatMoney', () => {
  it('shows cents and the currency sign', () => {
    expect(formatMoney(12.3, 'USD')).toBe('$12.30');
    expect(formatMoney(0, 'EUR')).toBe('€0.00');
  });

  it('names days as people say them', () => {
    expect(dayOfMonth('2026-11-01')).toBe('the 1st');
    expect(dayOfMonth('2026-11-12')).toBe('the 12th');
    expect(dayOfMonth('2026-11-23')).toBe('the 23rd');
    expect(dayOfMonth('2026-11-22')).toBe('the 22nd');
  });
});
