const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** `'2025-05-01T10:00:00Z'` → `'5 minutes ago'`, for "deployed by guest 5 minutes ago". */
export function formatWhen(iso: string | undefined, now = Date.now()): string {
  if (!iso) {
    return '';
  }
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return Math.abs(seconds) < 10 ? 'just now' : format.format(seconds, 'second');
}

/** The exact time, for a tooltip next to {@link formatWhen}. */
export function formatExactTime(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '';
}
