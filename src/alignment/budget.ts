import type { AlignmentSettings } from './config.ts';
import type { Mapping } from './mapping.ts';
import { overlapDays, type Portfolio } from './portfolio.ts';
import { WEEK } from './stats.ts';

type BudgetSettings = NonNullable<AlignmentSettings['budget']>;

/**
 * Estimated spend per objective: every week, each team's cost is split over objectives by the
 * points it completed for them that week (by in-progress days in weeks without completed points).
 * Index = objective, last entry = unaligned; `unattributed` is team cost in weeks with no activity.
 * `weeks` may be fractional: the period need not be whole weeks.
 */
export interface SpendTable {
  from: number;
  to: number;
  weeks: number;
  byObjective: number[];
  unattributed: number;
}

export function costPerWeek(settings: BudgetSettings, unit: string): number {
  return settings.teams[unit] ?? settings.costPerTeamWeek;
}

export function estimateSpend(p: Portfolio, m: Mapping, objectiveCount: number, settings: BudgetSettings, from: number, to: number): SpendTable {
  const weeks = Math.max(1, Math.ceil((to - from) / WEEK));
  const spendFrom = from;
  // The last week may be partial: its cost is prorated.
  const lastWeekFraction = (to - from) / WEEK - (weeks - 1);
  // unit → week → per objective [points…, days…]
  const points = new Map<string, Float64Array>();
  const days = new Map<string, Float64Array>();
  const width = objectiveCount + 1;
  const cell = (map: Map<string, Float64Array>, unit: string) => {
    let a = map.get(unit);
    if (!a) map.set(unit, (a = new Float64Array(weeks * width)));
    return a;
  };
  for (let i = 0; i < p.items.length; i++) {
    const it = p.items[i]!;
    if (!it.work) continue;
    const o = m.objective[i]! < 0 ? objectiveCount : m.objective[i]!;
    if (it.resolved !== null && it.resolved >= spendFrom && it.resolved < to && (it.estimate ?? 0) > 0) {
      cell(points, it.unit)[Math.floor((it.resolved - spendFrom) / WEEK) * width + o]! += it.estimate!;
    }
    if (it.progress.length === 0) continue;
    const d = cell(days, it.unit);
    for (let w = 0; w < weeks; w++) {
      const x = overlapDays(it.progress, spendFrom + w * WEEK, spendFrom + (w + 1) * WEEK);
      if (x > 0) d[w * width + o]! += x;
    }
  }
  const table: SpendTable = { from: spendFrom, to, weeks: (to - from) / WEEK, byObjective: new Array<number>(width).fill(0), unattributed: 0 };
  const units = new Set([...points.keys(), ...days.keys()]);
  for (const unit of units) {
    for (let w = 0; w < weeks; w++) {
      const cost = costPerWeek(settings, unit) * (w === weeks - 1 ? lastWeekFraction : 1);
      const pick = sumRow(points.get(unit), w, width) > 0 ? points.get(unit)! : days.get(unit);
      const total = sumRow(pick, w, width);
      if (!pick || total <= 0) {
        table.unattributed += cost;
        continue;
      }
      for (let o = 0; o < width; o++) table.byObjective[o]! += (cost * pick[w * width + o]!) / total;
    }
  }
  return table;
}

function sumRow(a: Float64Array | undefined, w: number, width: number): number {
  if (!a) return 0;
  let s = 0;
  for (let o = 0; o < width; o++) s += a[w * width + o]!;
  return s;
}

export function budgetSince(settings: BudgetSettings, windowFrom: number): number {
  return settings.since ? Date.parse(`${settings.since}T00:00:00Z`) : windowFrom;
}

