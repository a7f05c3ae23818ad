import type { StatusCategory, TypeCategory, WorkItem } from '../model/work-item.ts';
import { createCelCompiler, type CelErrorTally } from './cel.ts';
import type { AlignmentConfig, AlignmentMatch } from './config.ts';
import { buildMatchIndex, type MatchIndex } from './match.ts';
import { parseInstant } from './stats.ts';

/**
 * The slice of a work item the alignment module needs, extracted while streaming the store so a
 * million items fit in memory. Instants are epoch milliseconds.
 */
export interface AlignItem {
  key: string;
  source: string;
  nativeKey: string;
  url: string;
  title: string;
  project: string;
  team: string | null;
  /** The delivery unit throughput is measured for: the team, else the project. */
  unit: string;
  typeCategory: TypeCategory;
  /** Work that is delivered (not an epic, feature or risk-register entry). */
  work: boolean;
  status: StatusCategory;
  estimate: number | null;
  created: number;
  started: number | null;
  /** When it became done; null while it is not done. */
  resolved: number | null;
  dueDate: string | null;
  /** The next ancestor: the parent, else the epic. */
  parent: string | null;
  person: string | null;
  personName: string | null;
  sprintKey: string | null;
  sprintState: 'future' | 'active' | 'closed' | null;
  /** In-progress intervals as [start, end, start, end …]; an open interval ends at +Infinity. */
  progress: number[];
  /** Blocked intervals, same layout. */
  blocked: number[];
  /** Sprint membership changes (name entered, at), oldest first; null without history. */
  sprintMoves: Array<{ to: string | null; at: number }> | null;
  /** Indices into the matcher table this item meets by its own attributes. */
  own: number[];
}

export interface Matchers {
  /** Objectives first, then themes, then key results; each entry knows what it belongs to. */
  list: MatcherEntry[];
  objectiveCount: number;
  themeCount: number;
  index: MatchIndex;
}

export interface MatcherEntry {
  kind: 'objective' | 'theme' | 'keyResult';
  /** Index within its kind (objective index for objectives and themes; for key results the objective's). */
  index: number;
  /** For key results: the position in that objective's keyResults. */
  kr: number;
  match: AlignmentMatch | null;
}

export interface Portfolio {
  items: AlignItem[];
  byKey: Map<string, number>;
  matchers: Matchers;
  celErrors: Map<string, CelErrorTally>;
}

const CONTAINERS: ReadonlySet<TypeCategory> = new Set(['epic', 'feature', 'risk']);

export function compileMatchers(config: AlignmentConfig, celErrors: Map<string, CelErrorTally>): Matchers {
  const list: MatcherEntry[] = [];
  config.objectives.forEach((o, i) => list.push({ kind: 'objective', index: i, kr: -1, match: o.match }));
  config.themes.forEach((t, i) => list.push({ kind: 'theme', index: i, kr: -1, match: t.match ?? null }));
  config.objectives.forEach((o, i) => o.keyResults.forEach((kr, k) => list.push({ kind: 'keyResult', index: i, kr: k, match: kr.match })));
  const index = buildMatchIndex(
    list.map((m) => m.match),
    createCelCompiler(celErrors),
  );
  return { list, objectiveCount: config.objectives.length, themeCount: config.themes.length, index };
}

/** Email keys compare case-insensitively, `id:<tool id>` keys exactly; null when there are none. */
export function normaliseIdentities(identities: Record<string, string>): Record<string, string> | null {
  const entries = Object.entries(identities);
  if (entries.length === 0) return null;
  return Object.fromEntries(entries.map(([key, value]) => [key.startsWith('id:') ? key : key.toLowerCase(), value]));
}

/** Identity merge: a config alias first, then the email (lower case), then the tool's own id. */
export function identityOf(
  person: { id: string; email: string | null } | null,
  identities: Record<string, string> | null,
): string | null {
  if (!person) return null;
  const email = person.email?.toLowerCase() ?? null;
  if (identities !== null) {
    const viaAlias = (email !== null ? identities[email] : undefined) ?? identities[`id:${person.id}`];
    if (viaAlias !== undefined) return viaAlias.toLowerCase();
  }
  return email ?? `id:${person.id}`;
}

/** Streams items into the compact form, evaluating every matcher against each item once. */
export function loadPortfolio(source: Iterable<WorkItem>, config: AlignmentConfig): Portfolio {
  const builder = createPortfolioBuilder(config);
  for (const wi of source) builder.add(wi);
  return builder.finish();
}

/**
 * The incremental form of loadPortfolio, for visitors that see one item at a time (rules). `compact`
 * turns an item into the small form kept between runs; `fromCompact` builds the portfolio from those.
 */
export function createPortfolioBuilder(config: AlignmentConfig): {
  add(wi: WorkItem): void;
  compact(wi: WorkItem): AlignItem;
  finish(): Portfolio;
  fromCompact(compacted: Iterable<AlignItem>): Portfolio;
} {
  const celErrors = new Map<string, CelErrorTally>();
  const matchers = compileMatchers(config, celErrors);
  const items: AlignItem[] = [];
  const byKey = new Map<string, number>();
  const identities = normaliseIdentities(config.alignment.identities);
  const toCompact = (wi: WorkItem): AlignItem => compact(wi, matchers.index.own(wi), identities);
  const put = (target: AlignItem[], index: Map<string, number>, item: AlignItem): void => {
    const at = index.get(item.key);
    if (at !== undefined) target[at] = item;
    else {
      index.set(item.key, target.length);
      target.push(item);
    }
  };
  return {
    add(wi) {
      put(items, byKey, toCompact(wi));
    },
    compact: toCompact,
    finish: () => ({ items, byKey, matchers, celErrors }),
    fromCompact(compacted) {
      const list: AlignItem[] = [];
      const index = new Map<string, number>();
      for (const item of compacted) put(list, index, item);
      return { items: list, byKey: index, matchers, celErrors };
    },
  };
}

export function compact(wi: WorkItem, own: number[], identities: Record<string, string> | null): AlignItem {
  const done = wi.statusCategory === 'done';
  const resolved = done ? ms(wi.resolvedAt) ?? lastEntry(wi, 'done') : null;
  return {
    key: wi.key,
    source: wi.source,
    nativeKey: wi.nativeKey,
    url: wi.url,
    title: wi.title,
    project: wi.project,
    team: wi.team,
    unit: wi.team ?? wi.project,
    typeCategory: wi.typeCategory,
    work: !CONTAINERS.has(wi.typeCategory),
    status: wi.statusCategory,
    estimate: wi.estimate,
    created: parseInstant(wi.createdAt),
    started: ms(wi.startedAt),
    resolved,
    dueDate: wi.dueDate,
    parent: wi.parentKey ?? wi.epicKey,
    person: identityOf(wi.assignee, identities),
    personName: wi.assignee?.name ?? null,
    sprintKey: wi.sprint ? `${wi.source}:${wi.sprint.id}` : null,
    sprintState: wi.sprint?.state ?? null,
    progress: progressIntervals(wi),
    blocked: blockedIntervals(wi),
    sprintMoves: sprintMoves(wi),
    own,
  };
}

function ms(iso: string | null): number | null {
  if (iso === null) return null;
  const t = parseInstant(iso);
  return Number.isNaN(t) ? null : t;
}

function lastEntry(wi: WorkItem, category: StatusCategory): number | null {
  let at: number | null = null;
  for (const t of wi.transitions) if (t.toCategory === category) at = parseInstant(t.at);
  return at ?? parseInstant(wi.updatedAt);
}

/** Time spent in the in-progress category, from the transitions; startedAt/resolvedAt without them. */
export function progressIntervals(wi: WorkItem): number[] {
  const out: number[] = [];
  let transitions = wi.transitions;
  for (let i = 1; i < transitions.length; i++) {
    if (transitions[i]!.at < transitions[i - 1]!.at) {
      transitions = [...transitions].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      break;
    }
  }
  let openAt: number | null = null;
  for (const t of transitions) {
    if (t.toCategory === 'in_progress') {
      if (openAt === null) openAt = parseInstant(t.at);
    } else if (openAt !== null) {
      out.push(openAt, parseInstant(t.at));
      openAt = null;
    }
  }
  if (openAt !== null) out.push(openAt, wi.statusCategory === 'in_progress' ? Infinity : parseInstant(wi.updatedAt));
  if (out.length === 0 && wi.startedAt !== null) {
    const end = wi.statusCategory === 'done' ? (ms(wi.resolvedAt) ?? parseInstant(wi.updatedAt)) : wi.statusCategory === 'in_progress' ? Infinity : null;
    if (end !== null) out.push(parseInstant(wi.startedAt), end);
  }
  return out;
}

const BLOCKED_FIELDS = new Set(['blocked', 'flagged', 'microsoft.vsts.cmmi.blocked']);

/**
 * Blocked time from a `blocked`/`Flagged` field history when the connector provides one; otherwise a
 * currently blocked item counts as blocked since its last status change (or its start).
 */
export function blockedIntervals(wi: WorkItem): number[] {
  const out: number[] = [];
  const changes = wi.history.length === 0 ? [] : wi.history.filter((h) => BLOCKED_FIELDS.has(h.field.toLowerCase()));
  if (changes.length > 0) {
    let openAt: number | null = null;
    for (const h of changes) {
      const on = h.to !== null && h.to !== '' && !/^(no|false)$/i.test(h.to);
      const at = parseInstant(h.at);
      if (on && openAt === null) openAt = at;
      else if (!on && openAt !== null) {
        out.push(openAt, at);
        openAt = null;
      }
    }
    if (openAt !== null) out.push(openAt, Infinity);
    return out;
  }
  if (!wi.blocked || wi.statusCategory === 'done') return out;
  let since = ms(wi.startedAt) ?? parseInstant(wi.createdAt);
  for (const t of wi.transitions) since = Math.max(since, parseInstant(t.at));
  out.push(since, Infinity);
  return out;
}

function sprintMoves(wi: WorkItem): AlignItem['sprintMoves'] {
  let moves: Array<{ to: string | null; at: number }> | null = null;
  let sorted = true;
  for (const h of wi.history) {
    if (h.field !== 'sprint' && h.field !== 'Sprint') continue;
    const at = parseInstant(h.at);
    moves ??= [];
    if (moves.length > 0 && moves[moves.length - 1]!.at > at) sorted = false;
    moves.push({ to: h.to, at });
  }
  if (moves !== null && !sorted) moves.sort((a, b) => a.at - b.at);
  return moves;
}

/** Total overlap of [from, to) with a list of intervals, in days. */
export function overlapDays(intervals: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let i = 0; i + 1 < intervals.length; i += 2) {
    const s = Math.max(intervals[i]!, from);
    const e = Math.min(intervals[i + 1]!, to);
    if (e > s) total += e - s;
  }
  return total / 86_400_000;
}
