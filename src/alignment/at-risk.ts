import type { AlignmentConfig, Objective } from './config.ts';
import { mapPortfolio } from './mapping.ts';
import type { Portfolio } from './portfolio.ts';
import { analyseFrom, alignmentReport } from './report.ts';
import type { Forecast } from './forecast.ts';

/** Objective forecasts for a portfolio built elsewhere (the objective-at-risk rule's pass). */
export function forecastObjectives(p: Portfolio, config: AlignmentConfig, now: Date): Array<{ objective: Objective; forecast: Forecast }> {
  const report = alignmentReport(analyseFrom(p, mapPortfolio(p, config), [], config, now));
  return config.objectives.map((objective, i) => ({ objective, forecast: report.objectives[i]!.forecast }));
}
