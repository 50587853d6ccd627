/** `['a', 'b', 'c']` → `'a, b or c'`, for sentences like "Deploy to development, staging or production". */
export function formatList(items: string[], conjunction = 'or'): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${
    items[items.length - 1]
  }`;
}
