const MAX_DISTANCE = 2;
const MIN_PREFIX_LENGTH = 3;

/**
 * Damerau-Levenshtein distance (optimal string alignment): insertions,
 * deletions, substitutions and swaps of two neighbouring characters cost 1.
 */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, beforePrevious[j - 2] + 1);
      }
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate the user most likely meant by `input`: the closest one within
 * an edit distance of 2 (ignoring case), else one that `input` is a prefix of
 * or that is a prefix of `input`. Undefined when nothing is close.
 */
export function didYouMean(
  input: string,
  candidates: readonly string[],
): string | undefined {
  const needle = input.toLocaleLowerCase('en-US');
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLocaleLowerCase('en-US'));
    if (distance <= MAX_DISTANCE && (!best || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  if (best) {
    return best.candidate;
  }
  if (needle.length < MIN_PREFIX_LENGTH) {
    return undefined;
  }
  return candidates.find(candidate => {
    const hay = candidate.toLocaleLowerCase('en-US');
    return hay.startsWith(needle) || needle.startsWith(hay);
  });
}
