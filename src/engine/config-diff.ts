import { SEVERITY_RANK } from '../model/finding.ts';
import type { Store } from '../store/index.ts';
import type { ReportedFinding } from '../store/findings.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import { evaluate } from './evaluate.ts';
import type { RuleSetup } from './setup.ts';

export interface FindingDiff {
  /** Findings the proposed configuration raises and the current one does not. */
  added: ReportedFinding[];
  /** Findings the current configuration raises and the proposed one does not. */
  removed: ReportedFinding[];
  /** Raised by both, at another severity. */
  changed: Array<{ before: ReportedFinding; after: ReportedFinding }>;
}

function dryRun(store: Store, setup: RuleSetup, clock: Clock, timezone: string, log: Logger): Map<string, ReportedFinding> {
  const out = new Map<string, ReportedFinding>();
  evaluate({
    store,
    ...setup,
    clock,
    timezone,
    log,
    collect: (f) => {
      const prior = out.get(f.id);
      if (!prior || SEVERITY_RANK[f.severity] > SEVERITY_RANK[prior.severity]) out.set(f.id, f);
    },
  });
  return out;
}

/**
 * What a configuration change would do to the findings, over the stored items, without recording or
 * notifying anything (`pmo-bot check --config proposed.yaml --diff`).
 */
export function diffConfigs(store: Store, current: RuleSetup, proposed: RuleSetup, clock: Clock, timezone: string, log: Logger): FindingDiff {
  const before = dryRun(store, current, clock, timezone, log);
  const after = dryRun(store, proposed, clock, timezone, log);
  const diff: FindingDiff = { added: [], removed: [], changed: [] };
  for (const [id, f] of after) {
    const was = before.get(id);
    if (!was) diff.added.push(f);
    else if (was.severity !== f.severity) diff.changed.push({ before: was, after: f });
  }
  for (const [id, f] of before) if (!after.has(id)) diff.removed.push(f);
  const order = (a: ReportedFinding, b: ReportedFinding) => a.ruleId.localeCompare(b.ruleId) || a.subject.key.localeCompare(b.subject.key);
  diff.added.sort(order);
  diff.removed.sort(order);
  diff.changed.sort((a, b) => order(a.after, b.after));
  return diff;
}
