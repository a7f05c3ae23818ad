/**
 * The candidate closest to `word` (a likely typo), or undefined when none is close enough.
 * Distance is Damerau-Levenshtein (optimal string alignment: insert, delete, substitute, swap
 * neighbours), case-insensitive; a candidate qualifies at distance <= max(2, word.length / 3) and
 * below the shorter length (so `id` never suggests `kind`). Ties go to the earlier candidate.
 * Failing that, a word of 3+ characters that abbreviates exactly one candidate (`warn`) suggests it.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, word.length / 3);
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  const extensions: string[] = [];
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const other = candidate.toLowerCase();
    if (word.length >= 3 && other.startsWith(lower) && !extensions.includes(candidate)) extensions.push(candidate);
    const d = editDistance(lower, other);
    if (d > limit || d >= Math.min(word.length, candidate.length)) continue;
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined && extensions.length === 1) return extensions[0];
  return best;
}

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return at(a.length, b.length);
}
