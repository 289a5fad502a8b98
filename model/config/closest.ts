/**
 * "Did you mean ...?" for misspelt names: the known name nearest by edit distance. One suggestion
 * instead of a list of every allowed name, because a list of thirty keys hides the one that was meant.
 */

/** Levenshtein distance (insertions, deletions, substitutions), case-insensitive. */
export function editDistance(left: string, right: string): number {
  const a = left.toLowerCase();
  const b = right.toLowerCase();
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known name closest to `given`, or undefined when none is plausibly meant: more than about a third
 * of the longer name would have to change (then a suggestion would be noise, not help).
 */
export function closestName(given: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(given, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.ceil(Math.max(given.length, best.length) / 3));
  return bestDistance <= limit ? best : undefined;
}

/** `; did you mean "x"?` or "" when nothing is close: to append to a refusal message. */
export function didYouMean(given: string, known: Iterable<string>, quote: (name: string) => string = (name) => JSON.stringify(name)): string {
  const closest = closestName(given, known);
  return closest === undefined ? "" : `; did you mean ${quote(closest)}?`;
}
