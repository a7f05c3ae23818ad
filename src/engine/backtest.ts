import type { Severity } from '../model/finding.ts';
import type { Store } from '../store/index.ts';
import { fixedClock, weeklyInstants } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import { peopleIndex, portfolioAsOf } from './as-of.ts';
import { evaluate } from './evaluate.ts';
import type { RuleSetup } from './setup.ts';

export interface BacktestWeek {
  /** The instant the portfolio was rebuilt at and the rules ran at. */
  at: string;
  /** Items that existed then. */
  items: number;
  findings: number;
  bySeverity: Record<Severity, number>;
}

export interface BacktestRule {
  ruleId: string;
  category: string;
  /** Findings the rule would have raised at each week's instant, oldest first. */
  counts: number[];
  /** Findings it would have opened: raised at a week's instant and not at the week before (the first week: none counted). */
  opened: number[];
  mean: number;
  max: number;
}

export interface BacktestReport {
  weeks: BacktestWeek[];
  rules: BacktestRule[];
}

/**
 * Replays the stored history: for each of the last `weeks` weeks (the last one being now), the
 * portfolio is rebuilt as it stood at that instant and every enabled rule runs over it, recording and
 * notifying nothing. It shows how many findings each rule would have raised week by week: the noise a
 * rule will make before it reaches Slack.
 */
export function backtest(store: Store, setup: RuleSetup, options: { weeks: number; now: Date; timezone: string; log: Logger; ruleId?: string | undefined }): BacktestReport {
  const instants = weeklyInstants(options.now, options.weeks, 0);
  const people = peopleIndex(store);
  const perRule = new Map<string, { category: string; ids: Array<Set<string>> }>();
  const weeks: BacktestWeek[] = instants.map((at, w) => {
    const bySeverity: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
    const seen = new Map<string, Severity>();
    const summary = evaluate({
      store,
      ...setup,
      waivers: [],
      clock: fixedClock(at),
      timezone: options.timezone,
      log: options.log,
      portfolio: portfolioAsOf(store, at, people),
      collect: (f) => {
        if (options.ruleId !== undefined && f.ruleId !== options.ruleId) return;
        let rule = perRule.get(f.ruleId);
        if (!rule) perRule.set(f.ruleId, (rule = { category: f.category, ids: instants.map(() => new Set<string>()) }));
        rule.ids[w]!.add(f.id);
        seen.set(f.id, f.severity);
      },
    });
    for (const severity of seen.values()) bySeverity[severity]++;
    return { at, items: summary.items, findings: seen.size, bySeverity };
  });
  const rules: BacktestRule[] = [...perRule]
    .map(([ruleId, { category, ids }]) => {
      const counts = ids.map((s) => s.size);
      const opened = ids.map((s, w) => (w === 0 ? 0 : [...s].filter((id) => !ids[w - 1]!.has(id)).length));
      return { ruleId, category, counts, opened, mean: Math.round((counts.reduce((a, b) => a + b, 0) / counts.length) * 10) / 10, max: Math.max(...counts) };
    })
    .sort((a, b) => b.mean - a.mean || a.ruleId.localeCompare(b.ruleId));
  return { weeks, rules };
}

