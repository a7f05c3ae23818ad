import type { Config } from '../config/schema.ts';
import type { AlignmentSection, DigestExtensions, DigestScope, ForecastSection } from './digest.ts';

/**
 * The `pmo-bot alignment --json` shape (DESIGN.md contract), as far as the digest reads it; src/alignment
 * produces it. Fields may be added there; only these are relied on here.
 */
export interface AlignmentReport {
  objectives: Array<{
    id: string;
    title: string;
    share: number;
    forecast?: { p50?: string | null; p85?: string | null; probabilityByTarget?: number | null } | null;
  }>;
  unaligned: { share: number };
}

/**
 * Digest sections from an alignment report per audience: effort by objective against the configured
 * target shares, the unaligned share, and forecasts against target dates. `history` gives earlier
 * weeks' aligned share for the sparkline. Returning null for a scope leaves its sections out.
 */
export function extensionsFromAlignment(
  config: Config,
  report: (scope: DigestScope) => AlignmentReport | null,
  history: (scope: DigestScope) => number[] = () => [],
): DigestExtensions {
  const objective = new Map(config.objectives.map((o) => [o.id, o]));
  return {
    alignment(scope): AlignmentSection | null {
      const r = report(scope);
      if (!r) return null;
      const aligned = Math.max(0, 1 - r.unaligned.share);
      return {
        aligned,
        trend: [...history(scope), aligned],
        unaligned: r.unaligned.share,
        objectives: r.objectives.map((o) => ({ id: o.id, title: o.title, share: o.share, targetShare: objective.get(o.id)?.targetShare ?? null })),
      };
    },
    forecasts(scope): ForecastSection | null {
      const r = report(scope);
      const withForecast = r?.objectives.filter((o) => o.forecast) ?? [];
      if (withForecast.length === 0) return null;
      return {
        objectives: withForecast.map((o) => ({
          id: o.id,
          title: o.title,
          targetDate: objective.get(o.id)?.targetDate ?? null,
          p50: o.forecast?.p50 ?? null,
          p85: o.forecast?.p85 ?? null,
          probabilityByTarget: o.forecast?.probabilityByTarget ?? null,
        })),
      };
    },
  };
}
