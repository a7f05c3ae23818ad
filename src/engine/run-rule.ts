import type { Sprint, WorkItem } from '../model/work-item.ts';
import type { ObjectiveSpec } from './objective-match.ts';
import type { AnyRule, RuleReport } from './rule.ts';

export interface RunRuleInput {
  items: readonly WorkItem[];
  sprints?: readonly Sprint[];
  /** Raw options; the rule's schema fills in defaults. */
  options?: Record<string, unknown>;
  objectives?: readonly ObjectiveSpec[];
  /** typeMapping classes per item key. */
  classes?: ReadonlyMap<string, readonly string[]>;
  now: Date;
  timezone: string;
}

/**
 * One rule over an in-memory set of items, in the engine's visitor order (items, sprints, done),
 * returning its raw reports: for rule specs, `rules explain` examples and previews.
 */
export function runRule(rule: AnyRule, input: RunRuleInput): RuleReport[] {
  const reports: RuleReport[] = [];
  const options = rule.meta.options.parse(input.options ?? {});
  const byKey = new Map(input.items.map((i) => [i.key, i]));
  const sprints = new Map((input.sprints ?? []).map((s) => [s.key, s]));
  const visitor = rule.create({
    options,
    severity: rule.meta.defaultSeverity,
    now: input.now,
    timezone: input.timezone,
    lookup: { item: (k) => byKey.get(k), sprint: (k) => sprints.get(k) },
    objectives: input.objectives ?? [],
    report: (r) => reports.push(r),
    recheckAt: () => undefined,
  });
  const facts = new Map<string, unknown>();
  for (const item of input.items) {
    visitor.item?.(item, input.classes?.get(item.key) ?? []);
    const fact = visitor.collect?.(item);
    if (fact !== undefined) facts.set(item.key, fact);
  }
  for (const sprint of input.sprints ?? []) visitor.sprint?.(sprint);
  visitor.done?.(facts, facts);
  return reports;
}
