/** Bound values per `where … in (…)`, well under every database's limit on parameters. */
export const IN_LIST_CHUNK = 500;

/**
 * `values` in consecutive slices of at most `size`, for statements that bind one parameter
 * per value.
 *
 * @internal
 */
export function chunks<T>(values: T[], size = IN_LIST_CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += size) {
    result.push(values.slice(i, i + size));
  }
  return result;
}
