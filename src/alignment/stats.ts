/** Small numeric helpers shared by allocation, KPIs and forecasts. */

export const DAY = 86_400_000;
export const WEEK = 7 * DAY;

/**
 * A uniform number in [0, 1) that is a pure function of (seed, n): the "lowbias32" integer hash of
 * the two. Used where a draw must not depend on how many draws came before it.
 */
export function hashUniform(seed: number, n: number): number {
  let h = (seed ^ Math.imul(n + 1, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** FNV-1a of a string, to derive a per-subject seed that does not depend on evaluation order. */
export function hashSeed(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Nearest-rank percentile (p in 0..1) of an ascending array; null when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

export function percentile(values: readonly number[], p: number): number | null {
  return percentileSorted(Float64Array.from(values).sort(), p);
}

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function roundOrNull(value: number | null, digits = 3): number | null {
  return value === null ? null : round(value, digits);
}

export function isoDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

export function isoInstant(t: number): string {
  return new Date(t).toISOString();
}

/**
 * Epoch milliseconds of an ISO-8601 instant. The canonical `YYYY-MM-DDTHH:mm:ss.sssZ` form (what
 * `toISOString()` and the connectors write) is read digit by digit, about three times faster than
 * Date.parse, which matters over a million items; any other form goes to Date.parse.
 */
export function parseInstant(iso: string): number {
  if (iso.length !== 24 || iso.charCodeAt(23) !== 90 || iso.charCodeAt(10) !== 84) return Date.parse(iso);
  return Date.UTC(digits(iso, 0, 4), digits(iso, 5, 2) - 1, digits(iso, 8, 2), digits(iso, 11, 2), digits(iso, 14, 2), digits(iso, 17, 2), digits(iso, 20, 3));
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let k = at; k < at + n; k++) v = v * 10 + s.charCodeAt(k) - 48;
  return v;
}
