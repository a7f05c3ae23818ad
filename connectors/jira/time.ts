/**
 * Jira instants look like `2020-06-12T08:17:26.986+0800` (offset without a colon); we store UTC
 * ISO-8601. Anything that does not start like an ISO date is rejected rather than guessed.
 */
const ISO_START = /^\d{4}-\d{2}-\d{2}(T|$)/;

export function toIsoInstant(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'string' || !ISO_START.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A calendar date `YYYY-MM-DD` (Jira date fields), or null. */
export function toIsoDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  if (!m?.[1] || Number.isNaN(Date.parse(m[1]))) return null;
  return m[1];
}

/**
 * A JQL lower bound for `updated` that does not depend on the Jira user's time zone: a relative
 * offset in minutes (`-125m`), computed from our clock, so JQL's minute resolution and the user's
 * profile zone cannot open a gap. The overlap absorbs clock skew.
 */
export function relativeMinutes(since: Date, now: Date, overlapMinutes: number): string {
  const minutes = Math.max(0, Math.ceil((now.getTime() - since.getTime()) / 60_000)) + overlapMinutes;
  return `-${minutes}m`;
}
