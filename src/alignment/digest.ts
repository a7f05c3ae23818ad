import type { Config } from '../config/schema.ts';
import { extensionsFromAlignment } from '../notify/digest-extensions.ts';
import type { DigestExtensions } from '../notify/digest.ts';
import type { Store } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';
import { alignmentReport, type AlignmentReport } from './report.ts';
import { analyseStore } from './service.ts';

const FRESH_MS = 60_000;

/**
 * The digest's alignment and forecast sections for the PMO audience: effort per objective against
 * target shares, the unaligned share with its weekly trend (from the KPI snapshots), and forecasts
 * against target dates. Team channels get their own findings only: the allocation is portfolio-wide.
 * One analysis serves every digest of a run (it is reused for a minute).
 */
export function alignmentDigestExtensions(store: Store, config: Config, clock: Clock): DigestExtensions {
  if (config.objectives.length === 0) return {};
  let cached: { at: number; report: AlignmentReport } | null = null;
  const portfolio = (): AlignmentReport => {
    const now = clock.now();
    if (!cached || now.getTime() - cached.at > FRESH_MS) cached = { at: now.getTime(), report: alignmentReport(analyseStore(store, config, now)) };
    return cached.report;
  };
  const history = (): number[] =>
    (store.db
      .prepare("SELECT value FROM kpi_snapshots WHERE scope = 'overall' AND kpi = 'alignment' AND value IS NOT NULL ORDER BY week DESC LIMIT 12")
      .pluck()
      .all() as number[])
      .slice(1) // this week's value is the report's own
      .reverse();
  return extensionsFromAlignment(config, (scope) => (scope.kind === 'pmo' ? portfolio() : null), (scope) => (scope.kind === 'pmo' ? history() : []));
}
