import { CoderunnerTranslate } from '../translation';

/**
 * `'2025-05-01T10:00:00Z'` → `'5 minutes ago'` (or `'in 5 minutes'`), for "deployed by guest
 * 5 minutes ago"; the messages `formatWhen.*` word it in the app's language.
 */
export function formatWhen(
  iso: string | undefined,
  t: CoderunnerTranslate,
  now = Date.now(),
): string {
  if (!iso) {
    return '';
  }
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const size = Math.abs(seconds);
  if (size >= 86_400) {
    return t('formatWhen.days', { days: Math.round(seconds / 86_400) });
  }
  if (size >= 3_600) {
    return t('formatWhen.hours', { hours: Math.round(seconds / 3_600) });
  }
  if (size >= 60) {
    return t('formatWhen.minutes', { minutes: Math.round(seconds / 60) });
  }
  return size < 10
    ? t('formatWhen.justNow')
    : t('formatWhen.seconds', { seconds });
}

/** The exact time, for a tooltip next to {@link formatWhen}. */
export function formatExactTime(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '';
}
