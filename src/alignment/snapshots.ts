import type { Db } from '../store/db.ts';
import { computeCapacity, type CapacityReport } from './capacity.ts';
import { KPI_NAMES, computeKpis, type KpiName, type KpiValues } from './kpis.ts';
import type { Analysis } from './report.ts';
import { WEEK, isoDate, isoInstant, round } from './stats.ts';

/**
 * Weekly KPI snapshots (table `kpi_snapshots`, migration 3). The current week's row is rewritten on
 * every computation (the last one of the week stands); weeks before the first snapshot are
 * back-filled from item history once, marked `backfill` (compliance is unknown for them), and never
 * overwrite a live row.
 */
export interface KpiTrend {
  value: number | null;
  previous: number | null;
  /** value − previous week's value. */
  delta: number | null;
  /** Oldest first, ending with this week. */
  trend: Array<{ week: string; value: number | null; origin: 'live' | 'backfill' }>;
}

export type KpiTrends = Record<KpiName, KpiTrend>;

/** `pmo-bot kpis --json` (contract: docs/alignment.md). */
export interface KpiReport {
  generatedAt: string;
  /** Monday (UTC) of the current week. */
  week: string;
  windowDays: number;
  trendWeeks: number;
  overall: KpiTrends;
  teams: Array<{ team: string; kpis: KpiTrends }>;
  capacity: CapacityReport;
}

const OVERALL = '';

export function weekStart(t: number): number {
  const d = new Date(t);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - day * 86_400_000;
}

export interface KpiReportOptions {
  /** Keys of items with an open compliance finding now. */
  nonCompliant: ReadonlySet<string>;
  trendWeeks?: number;
}

export function kpiReport(a: Analysis, db: Db, options: KpiReportOptions): KpiReport {
  const weeks = options.trendWeeks ?? 12;
  const settings = a.config.alignment;
  const thisWeek = weekStart(a.now);
  const compute = (asOf: number, nonCompliant: ReadonlySet<string> | null) =>
    computeKpis({
      items: a.portfolio.items,
      objective: a.mapping.objective,
      sprints: a.sprints,
      asOf,
      windowDays: settings.windowDays,
      timezone: a.config.timezone,
      measure: settings.measure,
      nonCompliant,
    });

  const have = new Set(db.prepare('SELECT DISTINCT week FROM kpi_snapshots WHERE week >= ?').pluck().all(isoDate(thisWeek - (weeks - 1) * WEEK)) as string[]);
  const insert = db.prepare('INSERT OR IGNORE INTO kpi_snapshots (week, scope, subject, kpi, value, origin, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const replace = db.prepare('INSERT OR REPLACE INTO kpi_snapshots (week, scope, subject, kpi, value, origin, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const takenAt = isoInstant(a.now);
  const write = (stmt: typeof insert, week: string, result: ReturnType<typeof compute>, origin: 'live' | 'backfill') => {
    for (const kpi of KPI_NAMES) stmt.run(week, 'overall', OVERALL, kpi, result.overall[kpi], origin, takenAt);
    for (const [team, values] of result.teams) for (const kpi of KPI_NAMES) stmt.run(week, 'team', team, kpi, values[kpi], origin, takenAt);
  };
  const current = compute(a.now, options.nonCompliant);
  db.transaction(() => {
    for (let k = weeks - 1; k >= 1; k--) {
      const start = thisWeek - k * WEEK;
      const week = isoDate(start);
      if (have.has(week)) continue;
      write(insert, week, compute(start + WEEK, null), 'backfill');
    }
    write(replace, isoDate(thisWeek), current, 'live');
  }).immediate();

  const rows = db
    .prepare('SELECT week, scope, subject, kpi, value, origin FROM kpi_snapshots WHERE week >= ? AND week <= ? ORDER BY week')
    .all(isoDate(thisWeek - (weeks - 1) * WEEK), isoDate(thisWeek)) as Array<{ week: string; scope: string; subject: string; kpi: string; value: number | null; origin: 'live' | 'backfill' }>;
  const series = new Map<string, Array<{ week: string; value: number | null; origin: 'live' | 'backfill' }>>();
  for (const r of rows) {
    const k = `${r.scope}|${r.subject}|${r.kpi}`;
    let s = series.get(k);
    if (!s) series.set(k, (s = []));
    s.push({ week: r.week, value: r.value, origin: r.origin });
  }
  const trends = (scope: string, subject: string, values: KpiValues): KpiTrends => {
    const out = {} as KpiTrends;
    for (const kpi of KPI_NAMES) {
      const trend = series.get(`${scope}|${subject}|${kpi}`) ?? [];
      const prevWeek = isoDate(thisWeek - WEEK);
      const previous = trend.find((t) => t.week === prevWeek)?.value ?? null;
      const value = values[kpi];
      out[kpi] = { value, previous, delta: value !== null && previous !== null ? round(value - previous, 4) : null, trend };
    }
    return out;
  };
  return {
    generatedAt: takenAt,
    week: isoDate(thisWeek),
    windowDays: settings.windowDays,
    trendWeeks: weeks,
    overall: trends('overall', OVERALL, current.overall),
    teams: [...current.teams].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([team, v]) => ({ team, kpis: trends('team', team, v) })),
    capacity: computeCapacity(a.portfolio.items, a.sprints, a.now, settings.capacity),
  };
}
