/** An amount of `currency` for people: `$12.30`, `€4.00`. */
export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount);
}

/** A `YYYY-MM-DD` day as "the 23rd". */
export function dayOfMonth(date: string): string {
  const day = Number(date.slice(8, 10));
  const teen = day >= 11 && day <= 13;
  const suffix = (!teen && ['th', 'st', 'nd', 'rd'][day % 10]) || 'th';
  return `the ${day}${suffix}`;
}
