/**
 * `['a', 'b', 'c']` → `'a, b or c'`, for sentences like "Deploy to development, staging or
 * production"; `conjunction` is the translated "or" or "and".
 */
export function formatList(items: string[], conjunction: string): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${
    items[items.length - 1]
  }`;
}
