import { CoderunnerTranslate } from '../translation';

/** An amount of `currency` for people: `$12.30`, `€4.00`. */
export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount);
}

// English ordinal categories: one (1st, 21st), two (2nd), few (3rd), other (4th, 11th–13th).
const ordinal = new Intl.PluralRules('en-US', { type: 'ordinal' });

/** A `YYYY-MM-DD` day as "the 23rd" (the messages `dayOfMonth.*`). */
export function dayOfMonth(date: string, t: CoderunnerTranslate): string {
  const number = Number(date.slice(8, 10));
  const day = String(number);
  switch (ordinal.select(number)) {
    case 'one':
      return t('dayOfMonth.one', { day });
    case 'two':
      return t('dayOfMonth.two', { day });
    case 'few':
      return t('dayOfMonth.few', { day });
    default:
      return t('dayOfMonth.other', { day });
  }
}
