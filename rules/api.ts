import type { AnyRule } from '../src/engine/rule.ts';
import { rule as assigneeWhenInProgress } from './assignee-when-in-progress.ts';
import { rule as estimateRequired } from './estimate-required.ts';
import { rule as objectiveAtRisk } from './objective-at-risk.ts';
import { rule as overdue } from './overdue.ts';
import { rule as staleInProgress } from './stale-in-progress.ts';
import { rule as wipLimit } from './wip-limit.ts';

/** The built-in rule library, sorted by id; a test checks every file in rules/ is registered here. */
export const builtInRules: readonly AnyRule[] = [
  assigneeWhenInProgress,
  estimateRequired,
  objectiveAtRisk,
  overdue,
  staleInProgress,
  wipLimit,
];

export function ruleIds(): string[] {
  return builtInRules.map((r) => r.meta.id);
}
