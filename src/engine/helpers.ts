import { z } from 'zod';
import { DAY_MS } from '../util/clock.ts';
import { TYPE_CATEGORIES, type Person, type WorkItem } from '../model/work-item.ts';

/** Options schema for "which type categories does this rule look at". */
export function typeCategoriesOption(defaults: Array<(typeof TYPE_CATEGORIES)[number]>) {
  return z
    .array(z.enum(TYPE_CATEGORIES))
    .min(1)
    .default(defaults)
    .describe(`work item type categories this rule checks (${TYPE_CATEGORIES.join(', ')})`);
}

/** The placeholders every item message can use. */
export function itemData(item: WorkItem): { key: string; title: string; status: string; project: string } {
  return { key: item.nativeKey, title: item.title, status: item.status, project: item.project };
}

/** The instant of the item's last visible movement: its last status change, or its last update. */
export function lastActivity(item: WorkItem, mode: 'status' | 'any'): string {
  const lastTransition = item.transitions.reduce<string | null>((max, t) => (max === null || t.at > max ? t.at : max), null);
  const status = lastTransition ?? item.startedAt ?? item.createdAt;
  if (mode === 'status') return status;
  return item.updatedAt > status ? item.updatedAt : status;
}

export function wholeDaysSince(instant: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(instant)) / DAY_MS);
}

/** Today's calendar date (`YYYY-MM-DD`) in the configured timezone: due dates are local dates. */
export function localDate(now: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function daysBetweenDates(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / DAY_MS);
}

/** One identity per person across tools and projects: the email when known, else the tool's id. */
export function personKey(person: Person): string {
  return person.email ? person.email.toLowerCase() : `id:${person.id}`;
}

/** "1 day", "3 days": for messages people read. */
export function countOf(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
