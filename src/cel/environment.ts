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
  /** The functions registered above, by name, for compiled expressions to call. */
  functions: Readonly<Record<string, (t: Date) => bigint>>;
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
  // Today's day number, looked up again only when the day or the zone changes.
  let todayMs = Number.NaN;
  let todayFormat: Intl.DateTimeFormat | null = null;
  let todayN = 0;
  const today = (): number => {
    if (day.today !== todayMs || day.format !== todayFormat) {
      todayN = localDay(day.today);
      todayMs = day.today;
      todayFormat = day.format;
    }
    return todayN;
  };
  const daysSince = (t: Date): bigint => BigInt(today() - localDay(t.getTime()));
  const daysUntil = (t: Date): bigint => BigInt(localDay(t.getTime()) - today());
  const register = (env: Environment): Environment =>
    env
      .registerFunction(`daysSince(${TS}): int`, daysSince, { description: 'whole calendar days from the instant to today (local time)' })
      .registerFunction(`daysUntil(${TS}): int`, daysUntil, { description: 'whole calendar days from today to the instant (local time)' });
  const typed = register(new Environment({ limits: LIMITS }).registerVariable({ name: 'item', schema: ITEM_SCHEMA }));
  const fast = register(new Environment({ limits: LIMITS }).registerVariable('item', 'map<string, dyn>'));
  return { typed, fast, day, functions: { daysSince, daysUntil } };
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

/**
 * How each field of the item reads in CEL: instants as timestamps, absent values as `undefined`
 * (left out of the map, so `has()` is false). One table serves both the interpreter's map
 * (`celItem`) and the compiled expressions, which read fields straight from the item, so the two
 * cannot drift apart. The order is the map's key order.
 */
export const ITEM_VIEW: ReadonlyArray<readonly [string, (item: WorkItem, classes: readonly string[], day: CelDay) => unknown]> = [
  ['key', (i) => i.key],
  ['source', (i) => i.source],
  ['sourceKind', (i) => i.sourceKind],
  ['nativeKey', (i) => i.nativeKey],
  ['url', (i) => i.url],
  ['project', (i) => i.project],
  ['type', (i) => i.type],
  ['typeCategory', (i) => i.typeCategory],
  ['classes', (_i, classes) => classes],
  ['title', (i) => i.title],
  ['status', (i) => i.status],
  ['statusCategory', (i) => i.statusCategory],
  ['labels', (i) => i.labels],
  ['components', (i) => i.components],
  ['createdAt', (i) => new Date(i.createdAt)],
  ['updatedAt', (i) => new Date(i.updatedAt)],
  ['links', (i) => i.links],
  ['blocked', (i) => i.blocked],
  ['fields', (i) => i.fields],
  ['team', (i) => i.team ?? undefined],
  ['description', (i) => i.description ?? undefined],
  ['assignee', (i) => (i.assignee === null ? undefined : i.assignee.email === null ? { id: i.assignee.id, name: i.assignee.name } : i.assignee)],
  ['priority', (i) => i.priority ?? undefined],
  ['estimate', (i) => i.estimate ?? undefined],
  ['startedAt', (i) => (i.startedAt === null ? undefined : new Date(i.startedAt))],
  ['resolvedAt', (i) => (i.resolvedAt === null ? undefined : new Date(i.resolvedAt))],
  // A due date is a local calendar date: its local midnight.
  ['dueDate', (i, _c, day) => (i.dueDate === null ? undefined : new Date(Date.parse(`${i.dueDate}T00:00:00Z`) - day.offsetMs))],
  ['sprint', (i) => {
    if (i.sprint === null) return undefined;
    const s: Record<string, unknown> = { id: i.sprint.id, name: i.sprint.name, state: i.sprint.state };
    if (i.sprint.startDate !== null) s['startDate'] = new Date(i.sprint.startDate);
    if (i.sprint.endDate !== null) s['endDate'] = new Date(i.sprint.endDate);
    return s;
  }],
  ['parentKey', (i) => i.parentKey ?? undefined],
  ['epicKey', (i) => i.epicKey ?? undefined],
];

/** For fields built from the item (timestamps, maps): whether the item has one, without building it. */
export const ITEM_PRESENT: Readonly<Record<string, (item: WorkItem) => boolean>> = {
  createdAt: () => true,
  updatedAt: () => true,
  assignee: (i) => i.assignee !== null,
  startedAt: (i) => i.startedAt !== null,
  resolvedAt: (i) => i.resolvedAt !== null,
  dueDate: (i) => i.dueDate !== null,
  sprint: (i) => i.sprint !== null,
};

/** The item as CEL sees it: instants as timestamps, absent values left out. */
export function celItem(item: WorkItem, classes: readonly string[], day: CelDay): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, read] of ITEM_VIEW) {
    const value = read(item, classes, day);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
