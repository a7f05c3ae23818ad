/** Time is injected so tests can pin it; production uses the wall clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  return { now: () => new Date(instant) };
}

export const DAY_MS = 86_400_000;

export function daysBetween(from: Date | string, to: Date | string): number {
  return (new Date(to).getTime() - new Date(from).getTime()) / DAY_MS;
}

export const WEEK_MS = 7 * DAY_MS;

/**
 * `count` instants a week apart, oldest first, the last one `lastWeeksAgo` weeks before `now`
 * (0: now itself), as ISO strings.
 */
export function weeklyInstants(now: Date, count: number, lastWeeksAgo: number): string[] {
  return Array.from({ length: count }, (_, i) => new Date(now.getTime() - (count - 1 - i + lastWeeksAgo) * WEEK_MS).toISOString());
}
