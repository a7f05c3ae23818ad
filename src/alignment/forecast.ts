import type { AlignmentSettings } from './config.ts';
import { dateAfterWeeks, probabilityWithin, simulateMany, weeksAt, type SimulationResult, type Stream } from './monte-carlo.ts';
import type { AlignItem } from './portfolio.ts';
import { DAY, WEEK, isoDate, round } from './stats.ts';

type ForecastSettings = AlignmentSettings['forecast'];

/** Weekly throughput of one delivery unit (team, else project), newest week last. */
export interface UnitHistory {
  unit: string;
  /** Completed per week in the forecast unit, oldest first; only weeks since the unit's first item. */
  weeks: number[];
  completed: number;
}

/** Throughput history per unit over the last `historyWeeks` full weeks before `now`. */
export function throughputHistory(items: readonly AlignItem[], now: number, settings: ForecastSettings): Map<string, UnitHistory> {
  const span = settings.historyWeeks;
  const from = now - span * WEEK;
  const firstSeen = new Map<string, number>();
  const buckets = new Map<string, Float64Array>();
  const counts = new Map<string, number>();
  for (const it of items) {
    if (!it.work) continue;
    const seen = firstSeen.get(it.unit);
    if (seen === undefined || it.created < seen) firstSeen.set(it.unit, it.created);
    if (it.resolved === null || it.resolved < from || it.resolved >= now) continue;
    let b = buckets.get(it.unit);
    if (!b) buckets.set(it.unit, (b = new Float64Array(span)));
    const w = Math.floor((it.resolved - from) / WEEK);
    b[w]! += settings.unit === 'points' ? (it.estimate ?? 0) : 1;
    counts.set(it.unit, (counts.get(it.unit) ?? 0) + 1);
  }
  const out = new Map<string, UnitHistory>();
  for (const [unit, first] of firstSeen) {
    const b = buckets.get(unit) ?? new Float64Array(span);
    // Weeks before the unit's first item are not history; a new team has only its own weeks.
    const skip = Math.max(0, Math.min(span, Math.floor((first - from) / WEEK)));
    out.set(unit, { unit, weeks: Array.from(b.subarray(skip)), completed: counts.get(unit) ?? 0 });
  }
  return out;
}

export interface ForecastEvidence {
  team: string;
  /** Weekly throughput sampled, oldest first. */
  weeks: number[];
  /** Share of the team's throughput assumed for this scope. */
  focus: number;
  remaining: number;
}

/** A forecast for the remaining scope of one objective or epic (contract: docs/alignment.md). */
export interface Forecast {
  status: 'forecast' | 'done' | 'no-scope' | 'no-throughput';
  p50: string | null;
  p85: string | null;
  p95: string | null;
  weeks: { p50: number | null; p85: number | null; p95: number | null };
  targetDate: string | null;
  probabilityByTarget: number | null;
  unit: 'items' | 'points';
  remaining: number;
  lowConfidence: boolean;
  reasons: string[];
  runs: number;
  seed: number;
  samples: ForecastEvidence[];
}

export interface ScopeItems {
  /** Stable name for the seed (objective id, epic key). */
  id: string;
  items: readonly AlignItem[];
  targetDate: string | null;
  /** Per unit: share of its recent completions that went to this scope, when known. */
  focus: Map<string, number>;
  /** Per unit: how many scopes it has open work in (for the even split fallback). */
  openScopes: Map<string, number>;
}

export function forecastScope(scope: ScopeItems, history: Map<string, UnitHistory>, now: number, settings: ForecastSettings): Forecast {
  return forecastScopes([scope], history, now, settings)[0]!;
}

/** Forecasts many scopes in one batch (one random path table per team; see monte-carlo.ts). */
export function forecastScopes(scopes: readonly ScopeItems[], history: Map<string, UnitHistory>, now: number, settings: ForecastSettings): Forecast[] {
  const prepared = scopes.map((s) => prepareScope(s, history, settings));
  const pending = prepared.filter((p): p is Pending => 'streams' in p);
  const results = simulateMany(
    pending.map((p) => p.streams),
    settings,
  );
  const byPending = new Map<Pending, SimulationResult>(pending.map((p, i) => [p, results[i]!]));
  return prepared.map((p) => ('streams' in p ? finishForecast(p, byPending.get(p)!, now, settings) : p));
}

interface Pending {
  base: Forecast;
  streams: Stream[];
  reasons: string[];
  targetDate: string | null;
}

function prepareScope(scope: ScopeItems, history: Map<string, UnitHistory>, settings: ForecastSettings): Forecast | Pending {
  const unit = settings.unit;
  const base: Forecast = {
    status: 'forecast',
    p50: null,
    p85: null,
    p95: null,
    weeks: { p50: null, p85: null, p95: null },
    targetDate: scope.targetDate,
    probabilityByTarget: null,
    unit,
    remaining: 0,
    lowConfidence: false,
    reasons: [],
    runs: settings.runs,
    seed: settings.seed,
    samples: [],
  };
  const work = scope.items.filter((i) => i.work);
  if (work.length === 0) return { ...base, status: 'no-scope', lowConfidence: true, reasons: ['no work items are mapped to it'] };

  const remainingByUnit = new Map<string, number>();
  let unestimated = 0;
  for (const it of work) {
    if (it.status === 'done') continue;
    if (unit === 'points' && it.estimate === null) unestimated++;
    const size = unit === 'points' ? (it.estimate ?? 0) : 1;
    remainingByUnit.set(it.unit, (remainingByUnit.get(it.unit) ?? 0) + size);
  }
  const remaining = [...remainingByUnit.values()].reduce((a, b) => a + b, 0);
  if (remaining === 0) {
    let last = 0;
    for (const i of work) last = Math.max(last, i.resolved ?? 0);
    const doneOn = isoDate(last);
    const onTime = scope.targetDate === null ? null : doneOn <= scope.targetDate ? 1 : 0;
    return { ...base, status: 'done', p50: doneOn, p85: doneOn, p95: doneOn, weeks: { p50: 0, p85: 0, p95: 0 }, probabilityByTarget: onTime };
  }

  const reasons: string[] = [];
  if (unestimated > 0) reasons.push(`${unestimated} open items have no estimate and count as 0 points`);
  const streams: Stream[] = [];
  let blocked = false;
  for (const [name, left] of [...remainingByUnit].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const h = history.get(name);
    const weeks = h?.weeks ?? [];
    const completed = h?.completed ?? 0;
    let focus = scope.focus.get(name) ?? 0;
    if (focus <= 0) {
      focus = 1 / Math.max(1, scope.openScopes.get(name) ?? 1);
      if (completed > 0) reasons.push(`${name} completed nothing for it in the last ${settings.historyWeeks} weeks; assumed an even split (${round(focus, 2)}) of its throughput`);
    }
    if (weeks.length < settings.minHistoryWeeks) reasons.push(`${name} has ${weeks.length} weeks of throughput history (fewer than ${settings.minHistoryWeeks})`);
    if (completed === 0) {
      reasons.push(`${name} completed no work items in the last ${settings.historyWeeks} weeks: no date can be forecast`);
      blocked = true;
    } else if (completed < settings.minCompleted) {
      reasons.push(`${name} completed only ${completed} work items in the last ${settings.historyWeeks} weeks (fewer than ${settings.minCompleted})`);
    }
    streams.push({ name, remaining: left, samples: weeks, focus });
  }
  const samples = streams.map((s) => ({ team: s.name, weeks: [...s.samples], focus: round(s.focus, 4), remaining: s.remaining }));
  if (blocked) return { ...base, status: 'no-throughput', remaining, lowConfidence: true, reasons, samples };
  return { base: { ...base, remaining, samples }, streams, reasons, targetDate: scope.targetDate };
}

function finishForecast(p: Pending, result: SimulationResult, now: number, settings: ForecastSettings): Forecast {
  const reasons = [...p.reasons];
  const w50 = weeksAt(result, 0.5);
  const w85 = weeksAt(result, 0.85);
  const w95 = weeksAt(result, 0.95);
  if (result.unfinished > 0) reasons.push(`${result.unfinished} of ${settings.runs} runs need more than ${settings.horizonWeeks} weeks`);
  let probability: number | null = null;
  if (p.targetDate !== null) {
    const targetEnd = Date.parse(`${p.targetDate}T00:00:00Z`) + DAY;
    probability = targetEnd <= now ? 0 : round(probabilityWithin(result, Math.floor((targetEnd - now) / WEEK)), 4);
  }
  const date = (w: number | null) => (w === null ? null : isoDate(dateAfterWeeks(now, w)));
  return {
    ...p.base,
    p50: date(w50),
    p85: date(w85),
    p95: date(w95),
    weeks: { p50: w50, p85: w85, p95: w95 },
    probabilityByTarget: probability,
    lowConfidence: reasons.length > 0,
    reasons,
  };
}
