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

/**
 * Whole days since `instant`, asking incremental evaluation to look at the item again when the count
 * next changes (or when it reaches `limit`, whichever is later): an unchanged item's day count ticks.
 */
export function daysSinceWithRecheck(ctx: { now: Date; recheckAt(instant: number): void }, instant: string, limit = 0): number {
  const days = wholeDaysSince(instant, ctx.now);
  ctx.recheckAt(Date.parse(instant) + Math.max(days + 1, limit) * DAY_MS);
  return days;
}

// Building an Intl formatter costs far more than using one: rules ask per item, so keep them.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();
const midnights = new Map<string, number>();

/** Today's calendar date (`YYYY-MM-DD`) in the configured timezone: due dates are local dates. */
export function localDate(now: Date, timezone: string): string {
  let format = dateFormats.get(timezone);
  if (!format) dateFormats.set(timezone, (format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format.format(now);
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

/** Work that people do (not the epics and features that group it). */
export const WORK_TYPES = ['story', 'task', 'bug', 'subtask'] as const;

export function isOpen(item: WorkItem): boolean {
  return item.statusCategory !== 'done';
}

/** Text that says something: not blank, not a placeholder such as "TBD" or "n/a". */
export function hasText(value: unknown, minLength = 1): boolean {
  if (typeof value !== 'string') return false;
  const text = stripMarkup(value).trim();
  if (/^(tbd|tba|todo|n\/?a|none|-+|\.+|not yet defined|to be defined)$/i.test(text)) return false;
  return text.length >= minLength;
}

/** Plain text of a value that may hold HTML (Azure DevOps rich-text fields). */
export function stripMarkup(value: string): string {
  return value.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');
}

/** The first of `names` set on the item's raw fields with some text in it. */
export function fieldText(item: WorkItem, names: readonly string[]): string | null {
  for (const name of names) {
    const value = item.fields[name];
    if (Array.isArray(value) && value.length > 0) return value.map(String).join(', ');
    if (typeof value === 'number') return String(value);
    if (hasText(value)) return stripMarkup(value as string).trim();
  }
  return null;
}

/** Epoch ms of 00:00 on `date` (`YYYY-MM-DD`) in `timezone`. */
export function localMidnight(date: string, timezone: string): number {
  const memo = `${timezone}|${date}`;
  const known = midnights.get(memo);
  if (known !== undefined) return known;
  if (midnights.size > 10_000) midnights.clear();
  const utc = Date.parse(`${date}T00:00:00Z`);
  // The zone's offset at that instant, found by formatting it there; a second pass settles DST edges.
  let guess = utc;
  for (let i = 0; i < 2; i++) guess = utc - offsetMs(guess, timezone);
  midnights.set(memo, guess);
  return guess;
}

function offsetMs(instant: number, timezone: string): number {
  let format = partFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partFormats.set(timezone, format);
  }
  const parts = format.formatToParts(new Date(instant));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Epoch ms of the next local midnight after `now`: when day-granular verdicts may change. */
export function nextLocalMidnight(now: Date, timezone: string): number {
  return localMidnight(addDays(localDate(now, timezone), 1), timezone);
}

/** What aggregate rules keep of an item so they can report on it without reading it again. */
export interface ItemRef {
  key: string;
  nativeKey: string;
  title: string;
  url: string;
  source: string;
  project: string;
  team: string | null;
  status: string;
  assignee: Person | null;
}

export function itemRef(item: WorkItem): ItemRef {
  return {
    key: item.key,
    nativeKey: item.nativeKey,
    title: item.title,
    url: item.url,
    source: item.source,
    project: item.project,
    team: item.team,
    status: item.status,
    assignee: item.assignee,
  };
}

/** A report subject for an item known by its ref. */
export function refSubject(ref: ItemRef): { kind: 'item'; key: string; url: string; source: string; project: string; team: string | null } {
  return { kind: 'item', key: ref.key, url: ref.url, source: ref.source, project: ref.project, team: ref.team };
}

/** The value at quantile `q` (0..1) of `values` (nearest-rank); NaN when empty. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/** The sprint key the store uses for an item's sprint. */
export function sprintKeyOf(item: WorkItem): string | null {
  return item.sprint ? `${item.source}:${item.sprint.id}` : null;
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Values grouped by a key, in first-seen order. */
export function groupBy<T, K>(values: Iterable<T>, keyOf: (value: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const value of values) {
    const key = keyOf(value);
    const list = groups.get(key);
    if (list) list.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

/** Sprint memberships recorded in an item's history: when, and which sprint names (Jira lists several). */
export function sprintChanges(item: WorkItem): Array<{ at: string; sprints: string[] }> {
  const out: Array<{ at: string; sprints: string[] }> = [];
  for (const change of item.history) {
    if (!/^(sprint|iteration|system\.iterationpath)$/i.test(change.field)) continue;
    out.push({ at: change.at, sprints: sprintValues(change.to) });
  }
  return out;
}

/** The sprints a history value names: Jira lists every sprint an item has been in, comma-separated. */
export function sprintValues(value: string | null): string[] {
  return (value ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
}

/** What sprint-level aggregate rules keep of an item in an active sprint. */
export interface SprintEntry {
  sprintKey: string;
  sprint: string;
  source: string;
  project: string;
  team: string | null;
  nativeKey: string;
}

/** The entry for an item in an active sprint, or undefined. */
export function activeSprintEntry(item: WorkItem): SprintEntry | undefined {
  const key = sprintKeyOf(item);
  if (key === null || item.sprint?.state !== 'active') return undefined;
  return { sprintKey: key, sprint: item.sprint.name, source: item.source, project: item.project, team: item.team, nativeKey: item.nativeKey };
}
