import type { Sprint } from '../model/work-item.ts';
import type { Measure } from './allocation.ts';
import { overlapDays, type AlignItem } from './portfolio.ts';
import { DAY, WEEK, percentile, round, roundOrNull } from './stats.ts';

/** The KPI set, per team and overall (definitions: docs/alignment.md#kpis). */
export const KPI_NAMES = [
  'throughput',
  'throughputPoints',
  'cycleTimeP50',
  'cycleTimeP85',
  'leadTimeP50',
  'leadTimeP85',
  'predictability',
  'onTimeRate',
  'blockedShare',
  'compliance',
  'alignment',
] as const;
export type KpiName = (typeof KPI_NAMES)[number];
export type KpiValues = Record<KpiName, number | null>;

/** Whether a higher value is better, for arrows and colours in reports. */
export const KPI_HIGHER_IS_BETTER: Record<KpiName, boolean> = {
  throughput: true,
  throughputPoints: true,
  cycleTimeP50: false,
  cycleTimeP85: false,
  leadTimeP50: false,
  leadTimeP85: false,
  predictability: true,
  onTimeRate: true,
  blockedShare: false,
  compliance: true,
  alignment: true,
};

export interface KpiInput {
  items: readonly AlignItem[];
  /** Objective per item (−1 unaligned), parallel to `items`. */
  objective: Int32Array;
  sprints: readonly Sprint[];
  asOf: number;
  windowDays: number;
  timezone: string;
  measure: Measure;
  /** Keys of items with an open compliance finding; null when not known (history backfill). */
  nonCompliant: ReadonlySet<string> | null;
}

export interface KpiResult {
  overall: KpiValues;
  teams: Map<string, KpiValues>;
}

interface Acc {
  throughput: number;
  throughputPoints: number;
  cycle: number[];
  lead: number[];
  committed: number;
  completed: number;
  dueKnown: number;
  onTime: number;
  progressDays: number;
  blockedDays: number;
  open: number;
  openCompliant: number;
  effort: number;
  aligned: number;
}

const fresh = (): Acc => ({
  throughput: 0,
  throughputPoints: 0,
  cycle: [],
  lead: [],
  committed: 0,
  completed: 0,
  dueKnown: 0,
  onTime: 0,
  progressDays: 0,
  blockedDays: 0,
  open: 0,
  openCompliant: 0,
  effort: 0,
  aligned: 0,
});

export function computeKpis(input: KpiInput): KpiResult {
  const { items, asOf } = input;
  const from = asOf - input.windowDays * DAY;
  const weekFrom = asOf - WEEK;
  const localDate = dateInZone(input.timezone);
  const overall = fresh();
  const teams = new Map<string, Acc>();
  const teamAcc = (unit: string): Acc => {
    let t = teams.get(unit);
    if (!t) teams.set(unit, (t = fresh()));
    return t;
  };
  const complianceKnown = input.nonCompliant !== null;

  const c: Contribution = { inWeek: false, pts: 0, cycle: null, lead: null, onTime: null, progressDays: 0, blockedDays: 0, effort: 0, aligned: false, open: false, compliant: false };
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (!it.work || it.created > asOf) continue;
    // Done before the window: nothing of it (in-progress or blocked time included) falls inside.
    if (it.resolved !== null && it.resolved < from) continue;
    // Never started and compliance not measured (a back-filled week): it contributes nothing.
    if (it.resolved === null && it.progress.length === 0 && !complianceKnown) continue;
    const resolved = it.resolved !== null && it.resolved <= asOf ? it.resolved : null;
    const doneInWindow = resolved !== null && resolved >= from;
    c.pts = it.estimate ?? 0;
    c.progressDays = it.progress.length > 0 ? overlapDays(it.progress, from, asOf) : 0;
    c.blockedDays = it.blocked.length > 0 ? Math.min(c.progressDays, overlapDays(it.blocked, from, asOf)) : 0;
    c.effort = input.measure === 'points' ? (doneInWindow ? c.pts : 0) : input.measure === 'items' ? (doneInWindow ? 1 : 0) : c.progressDays;
    c.inWeek = resolved !== null && resolved >= weekFrom;
    c.cycle = doneInWindow && it.started !== null && it.started <= resolved ? (resolved - it.started) / DAY : null;
    c.lead = doneInWindow ? (resolved - it.created) / DAY : null;
    c.onTime = doneInWindow && it.dueDate !== null ? localDate(resolved) <= it.dueDate : null;
    c.aligned = input.objective[i]! >= 0;
    c.open = complianceKnown && it.status !== 'done';
    c.compliant = c.open && !input.nonCompliant!.has(it.key);
    accumulate(overall, c);
    accumulate(teamAcc(it.unit), c);
  }
  sprintPredictability(input, from, (unit, committed, completed) => {
    for (const a of [overall, teamAcc(unit)]) {
      a.committed += committed;
      a.completed += completed;
    }
  });

  const out = new Map<string, KpiValues>();
  for (const [unit, a] of teams) out.set(unit, finish(a, complianceKnown));
  return { overall: finish(overall, complianceKnown), teams: out };
}

/** What one item adds to its accumulators (one object reused for every item: no allocation). */
interface Contribution {
  inWeek: boolean;
  pts: number;
  cycle: number | null;
  lead: number | null;
  onTime: boolean | null;
  progressDays: number;
  blockedDays: number;
  effort: number;
  aligned: boolean;
  open: boolean;
  compliant: boolean;
}

function accumulate(a: Acc, c: Contribution): void {
  if (c.inWeek) {
    a.throughput++;
    a.throughputPoints += c.pts;
  }
  if (c.cycle !== null) a.cycle.push(c.cycle);
  if (c.lead !== null) a.lead.push(c.lead);
  if (c.onTime !== null) {
    a.dueKnown++;
    if (c.onTime) a.onTime++;
  }
  a.progressDays += c.progressDays;
  a.blockedDays += c.blockedDays;
  a.effort += c.effort;
  if (c.aligned) a.aligned += c.effort;
  if (c.open) {
    a.open++;
    if (c.compliant) a.openCompliant++;
  }
}

function finish(a: Acc, complianceKnown: boolean): KpiValues {
  const share = (x: number, y: number) => (y > 0 ? round(x / y, 4) : null);
  return {
    throughput: a.throughput,
    throughputPoints: round(a.throughputPoints, 2),
    cycleTimeP50: roundOrNull(percentile(a.cycle, 0.5), 1),
    cycleTimeP85: roundOrNull(percentile(a.cycle, 0.85), 1),
    leadTimeP50: roundOrNull(percentile(a.lead, 0.5), 1),
    leadTimeP85: roundOrNull(percentile(a.lead, 0.85), 1),
    predictability: share(a.completed, a.committed),
    onTimeRate: share(a.onTime, a.dueKnown),
    blockedShare: share(a.blockedDays, a.progressDays),
    compliance: complianceKnown ? share(a.openCompliant, a.open) : null,
    alignment: share(a.aligned, a.effort),
  };
}

/**
 * Completed vs committed for sprints that ended inside the window: committed is what was in the
 * sprint when it started (from sprint history; without history, items in it created before the
 * start), completed is the committed work done by the sprint's end. In points, or items when the
 * sprint's work carries no points. Each sprint's tally does not depend on the instant the KPIs are
 * taken at, so it is computed once per item list and reused for every week of a back-fill.
 */
function sprintPredictability(input: KpiInput, from: number, add: (unit: string, committed: number, completed: number) => void): void {
  for (const t of sprintTallies(input.items, input.sprints)) {
    if (t.end < from || t.end > input.asOf) continue;
    if (t.cp > 0) add(t.unit, 1, t.dp / t.cp);
    else if (t.ci > 0) add(t.unit, 1, t.di / t.ci);
  }
}

interface SprintTally {
  unit: string;
  end: number;
  cp: number;
  dp: number;
  ci: number;
  di: number;
}

const tallyCache = new WeakMap<readonly AlignItem[], { sprints: readonly Sprint[]; tallies: SprintTally[] }>();

function sprintTallies(items: readonly AlignItem[], sprints: readonly Sprint[]): SprintTally[] {
  const cached = tallyCache.get(items);
  if (cached && cached.sprints === sprints) return cached.tallies;
  const started = sprints.filter((s) => s.startDate !== null && Number.isFinite(Date.parse(s.completeDate ?? s.endDate ?? '')));
  interface Known {
    sprint: Sprint;
    start: number;
    end: number;
  }
  const byName = new Map<string, Known>();
  const byKey = new Map<string, Known>();
  for (const s of started) {
    const known = { sprint: s, start: Date.parse(s.startDate!), end: Date.parse(s.completeDate ?? s.endDate!) };
    byName.set(`${s.source}|${s.name}`, known);
    byKey.set(`${s.source}:${s.id}`, known);
  }
  const tally = new Map<Sprint, SprintTally>();
  const seen = new Set<Known>();
  for (const it of items) {
    if (!it.work || started.length === 0) continue;
    seen.clear();
    if (it.sprintMoves) {
      for (const mv of it.sprintMoves) {
        const k = mv.to === null ? undefined : byName.get(`${it.source}|${mv.to}`);
        if (k) seen.add(k);
      }
    } else if (it.sprintKey !== null) {
      const k = byKey.get(it.sprintKey);
      if (k) seen.add(k);
    }
    for (const { sprint: s, start, end } of seen) {
      const committed = it.sprintMoves ? memberAt(it.sprintMoves, start) === s.name : it.created <= start;
      if (!committed) continue;
      let t = tally.get(s);
      if (!t) tally.set(s, (t = { unit: s.team ?? s.project ?? it.unit, end, cp: 0, dp: 0, ci: 0, di: 0 }));
      t.cp += it.estimate ?? 0;
      t.ci++;
      if (it.resolved !== null && it.resolved <= end) {
        t.dp += it.estimate ?? 0;
        t.di++;
      }
    }
  }
  const tallies = [...tally.values()];
  tallyCache.set(items, { sprints, tallies });
  return tallies;
}

function memberAt(moves: NonNullable<AlignItem['sprintMoves']>, at: number): string | null {
  let current: string | null = null;
  for (const mv of moves) {
    if (mv.at > at) break;
    current = mv.to;
  }
  return current;
}

function dateInZone(timezone: string): (t: number) => string {
  if (timezone === 'UTC') return (t) => new Date(t).toISOString().slice(0, 10);
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (t) => f.format(t);
}
