import { Environment, type TypeCheckResult } from '@marcbachmann/cel-js';
import type { WorkItem } from '../model/work-item.ts';
import { DAY_MS } from '../util/clock.ts';

/**
 * The CEL environment custom rules are written in: one variable, `item` (the WorkItem shape, absent
 * values left out so `has(item.estimate)` tests presence), plus day-granular time helpers. There is
 * deliberately no `now`: verdicts only change at local midnight, which keeps incremental evaluation
 * exact.
 */

const TS = 'google.protobuf.Timestamp';
const QUARTER_HOUR_MS = 15 * 60_000;

/** The item as CEL sees it (checked by the typed environment). */
const ITEM_SCHEMA = {
  key: 'string',
  source: 'string',
  sourceKind: 'string',
  nativeKey: 'string',
  url: 'string',
  project: 'string',
  team: 'string',
  type: 'string',
  typeCategory: 'string',
  classes: 'list<string>',
  title: 'string',
  description: 'string',
  status: 'string',
  statusCategory: 'string',
  assignee: { id: 'string', name: 'string', email: 'string' },
  priority: 'string',
  labels: 'list<string>',
  components: 'list<string>',
  estimate: 'double',
  createdAt: TS,
  updatedAt: TS,
  startedAt: TS,
  resolvedAt: TS,
  dueDate: TS,
  sprint: { id: 'string', name: 'string', state: 'string', startDate: TS, endDate: TS },
  parentKey: 'string',
  epicKey: 'string',
  links: 'list<map<string, string>>',
  blocked: 'bool',
  fields: 'map<string, dyn>',
} as const;

/** Field names a message may use as `{{item.<name>}}` (or `{{<name>}}`). */
export const ITEM_FIELDS = Object.keys(ITEM_SCHEMA);

/** Today as the helpers see it: set once per evaluation run. */
export interface CelDay {
  /** Epoch ms of today's local midnight. */
  today: number;
  /** The zone's UTC offset today (for local due dates). */
  offsetMs: number;
  /** Formats an instant as its local calendar date (`YYYY-MM-DD`) in the configured zone. */
  format: Intl.DateTimeFormat;
}

/** Sets the helpers' "today" for an evaluation at `now` in `timezone`. */
export function setCelDay(day: CelDay, todayMidnight: number, today: string, timezone: string): void {
  day.today = todayMidnight;
  day.offsetMs = Date.parse(`${today}T00:00:00Z`) - todayMidnight;
  if (day.format.resolvedOptions().timeZone !== timezone) day.format = dateFormat(timezone);
}

function dateFormat(timezone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
}

/** Parse-time limits: CEL is not Turing complete, and these bound what one expression can cost. */
const LIMITS = { maxAstNodes: 400, maxDepth: 32, maxListElements: 100, maxMapEntries: 100, maxCallArguments: 8 };

export interface CelEnvironments {
  /** Type-checks expressions against the WorkItem schema. */
  typed: Environment;
  /** Evaluates them; `item` is handed over as a plain map, which is about twice as fast. */
  fast: Environment;
  day: CelDay;
}

export function createCelEnvironments(): CelEnvironments {
  const day: CelDay = { today: 0, offsetMs: 0, format: dateFormat('UTC') };
  // Each instant's own local date, so daylight-saving changes between then and now do not shift it.
  // Zone offsets change only on quarter hours: one formatter call per quarter hour seen is enough.
  const days = new Map<number, number>();
  let daysFormat: Intl.DateTimeFormat | null = null;
  const localDay = (ms: number): number => {
    if (day.format !== daysFormat || days.size > 100_000) {
      days.clear();
      daysFormat = day.format;
    }
    const bucket = Math.floor(ms / QUARTER_HOUR_MS);
    let n = days.get(bucket);
    if (n === undefined) {
      n = Math.round(Date.parse(`${day.format.format(bucket * QUARTER_HOUR_MS)}T00:00:00Z`) / DAY_MS);
      days.set(bucket, n);
    }
    return n;
  };
  const daysSince = (t: Date): bigint => BigInt(localDay(day.today) - localDay(t.getTime()));
  const daysUntil = (t: Date): bigint => BigInt(localDay(t.getTime()) - localDay(day.today));
  const register = (env: Environment): Environment =>
    env
      .registerFunction(`daysSince(${TS}): int`, daysSince, { description: 'whole calendar days from the instant to today (local time)' })
      .registerFunction(`daysUntil(${TS}): int`, daysUntil, { description: 'whole calendar days from today to the instant (local time)' });
  const typed = register(new Environment({ limits: LIMITS }).registerVariable({ name: 'item', schema: ITEM_SCHEMA }));
  const fast = register(new Environment({ limits: LIMITS }).registerVariable('item', 'map<string, dyn>'));
  return { typed, fast, day };
}

/** True when an expression uses the clock helpers (its verdict may change at local midnight). */
export function usesClock(expression: string): boolean {
  return /\bdays(Since|Until)\s*\(/.test(expression);
}

export interface CelCheck {
  ok: boolean;
  message?: string;
  /** Offset of the problem inside the expression. */
  offset?: number;
}

/** Parses and type-checks a boolean expression; problems carry their offset in the text. */
export function checkBoolean(env: Environment, expression: string): CelCheck {
  let result: TypeCheckResult;
  try {
    result = env.check(expression);
  } catch (err) {
    return problem(err);
  }
  if (!result.valid) return problem(result.error);
  if (result.type !== 'bool') return { ok: false, message: `must be a true/false expression, but it gives ${result.type ?? 'an unknown type'}`, offset: 0 };
  return { ok: true };
}

function problem(err: unknown): CelCheck {
  const e = err as { summary?: string; message?: string; range?: { start: number } } | undefined;
  const message = e?.summary ?? e?.message ?? String(err);
  return { ok: false, message: lowerFirst(message), offset: e?.range?.start ?? 0 };
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/** The item as CEL sees it: instants as timestamps, absent values left out. */
export function celItem(item: WorkItem, classes: readonly string[], day: CelDay): Record<string, unknown> {
  const out: Record<string, unknown> = {
    key: item.key,
    source: item.source,
    sourceKind: item.sourceKind,
    nativeKey: item.nativeKey,
    url: item.url,
    project: item.project,
    type: item.type,
    typeCategory: item.typeCategory,
    classes,
    title: item.title,
    status: item.status,
    statusCategory: item.statusCategory,
    labels: item.labels,
    components: item.components,
    createdAt: new Date(item.createdAt),
    updatedAt: new Date(item.updatedAt),
    links: item.links,
    blocked: item.blocked,
    fields: item.fields,
  };
  if (item.team !== null) out['team'] = item.team;
  if (item.description !== null) out['description'] = item.description;
  if (item.assignee !== null) out['assignee'] = item.assignee.email === null ? { id: item.assignee.id, name: item.assignee.name } : item.assignee;
  if (item.priority !== null) out['priority'] = item.priority;
  if (item.estimate !== null) out['estimate'] = item.estimate;
  if (item.startedAt !== null) out['startedAt'] = new Date(item.startedAt);
  if (item.resolvedAt !== null) out['resolvedAt'] = new Date(item.resolvedAt);
  // A due date is a local calendar date: its local midnight.
  if (item.dueDate !== null) out['dueDate'] = new Date(Date.parse(`${item.dueDate}T00:00:00Z`) - day.offsetMs);
  if (item.sprint !== null) {
    const s: Record<string, unknown> = { id: item.sprint.id, name: item.sprint.name, state: item.sprint.state };
    if (item.sprint.startDate !== null) s['startDate'] = new Date(item.sprint.startDate);
    if (item.sprint.endDate !== null) s['endDate'] = new Date(item.sprint.endDate);
    out['sprint'] = s;
  }
  if (item.parentKey !== null) out['parentKey'] = item.parentKey;
  if (item.epicKey !== null) out['epicKey'] = item.epicKey;
  return out;
}
