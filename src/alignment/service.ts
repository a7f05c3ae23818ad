import type { Config } from '../config/schema.ts';
import type { Store } from '../store/index.ts';
import type { AlignmentConfig } from './config.ts';
import { mapPortfolio } from './mapping.ts';
import { loadPortfolio } from './portfolio.ts';
import { analyse, type Analysis } from './report.ts';
import { kpiReport, type KpiReport } from './snapshots.ts';

export function alignmentConfigOf(config: Config): AlignmentConfig {
  return { objectives: config.objectives, themes: config.themes, alignment: config.alignment, timezone: config.timezone };
}

/** Maps the stored portfolio at `now` (one streaming pass over the store). */
export function analyseStore(store: Store, config: Config, now: Date): Analysis {
  return analyse(store.items.iterate(), store.items.sprints(), alignmentConfigOf(config), now);
}

/** Items with an open compliance finding, for the compliance KPI. */
export function nonCompliantItems(store: Store): Set<string> {
  const keys = store.db
    .prepare("SELECT DISTINCT subject_key FROM findings WHERE state = 'open' AND category = 'compliance' AND subject_kind = 'item'")
    .pluck()
    .all() as string[];
  return new Set(keys);
}

/**
 * Computes the KPIs and records this week's snapshot (what `pmo-bot kpis` does); a scheduled job
 * (the weekly digest, say) can call it so compliance history accrues without anyone running `kpis`.
 */
export function snapshotKpis(store: Store, config: Config, now: Date): KpiReport {
  return kpiReport(analyseStore(store, config, now), store.db, { nonCompliant: nonCompliantItems(store) });
}

/** How often the worker refreshes this week's KPI snapshot: often enough for a fresh digest, cheap. */
export const SNAPSHOT_EVERY_MS = 6 * 3_600_000;

/** True when this week has no live KPI snapshot taken within `everyMs` (the worker then takes one). */
export function snapshotDue(store: Store, now: Date, everyMs = SNAPSHOT_EVERY_MS): boolean {
  const last = store.db.prepare("SELECT max(taken_at) FROM kpi_snapshots WHERE origin = 'live'").pluck().get() as string | null;
  return last === null || now.getTime() - Date.parse(last) >= everyMs;
}

/**
 * Objectives whose `match` selects no stored work item (directly; inheritance cannot help them).
 * Checked when a config is loaded against an existing store: a typo in an epic key or a label
 * otherwise shows only as an objective with 0% effort.
 */
export function unmatchedObjectives(store: Store, config: Config): Array<{ id: string; title: string }> {
  if (config.objectives.length === 0 || store.items.count() === 0) return [];
  const alignmentConfig = alignmentConfigOf(config);
  const mapping = mapPortfolio(loadPortfolio(store.items.iterate(), alignmentConfig), alignmentConfig);
  return config.objectives.filter((_, i) => (mapping.directMatches[i] ?? 0) === 0).map((o) => ({ id: o.id, title: o.title }));
}
