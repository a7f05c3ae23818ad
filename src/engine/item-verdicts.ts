import type { Finding } from '../model/finding.ts';
import type { WorkItem } from '../model/work-item.ts';
import type { Store } from '../store/index.ts';
import { isAggregate, type AnyRule } from './rule.ts';
import { itemSubject } from './rule-config.ts';
import type { RuleSetup } from './setup.ts';
import { classify } from './type-mapping.ts';
import { RULE_ERROR_ID } from './evaluate.ts';

/** One rule's verdict on one item, for `pmo-bot check --item KEY`. */
export interface ItemVerdict {
  ruleId: string;
  severity: string;
  /** off: not configured for this item; pass; finding: about this item; involved: an aggregate finding that counts it; error: the rule failed on it. */
  verdict: 'off' | 'pass' | 'finding' | 'involved' | 'error';
  state: Finding['state'] | null;
  message: string;
  /** The settings in force for this item. */
  options: unknown;
}

function mentions(f: Finding, item: WorkItem): boolean {
  for (const value of Object.values(f.evidence)) {
    if (Array.isArray(value) && (value as unknown[]).some((v) => v === item.nativeKey || v === item.key || v === item.url)) return true;
  }
  return false;
}

/**
 * Every configured rule's verdict on one item, from the findings of the evaluation just recorded:
 * why it applies (or is off) under presets, methodology and overrides, and what it found.
 */
export function itemVerdicts(store: Store, setup: RuleSetup, item: WorkItem): ItemVerdict[] {
  const { item: mapped, classes } = classify(setup.typeMapping, item);
  const live = store.findings.list().filter((f) => f.state !== 'resolved');
  const aboutItem = live.filter((f) => f.subject.kind === 'item' && f.subject.key === item.key);
  return setup.plan.forSubject(itemSubject(mapped, classes)).map((eff) => {
    const rule: AnyRule = eff.rule;
    const base = { ruleId: rule.meta.id, severity: eff.severity, options: eff.options };
    if (eff.severity === 'off') return { ...base, verdict: 'off', state: null, message: 'off for this item (presets, methodology, rules and overrides)' };
    const error = aboutItem.find((f) => f.ruleId === RULE_ERROR_ID && f.evidence['rule'] === rule.meta.id);
    if (error) return { ...base, verdict: 'error', state: error.state, message: error.message };
    const own = aboutItem.find((f) => f.ruleId === rule.meta.id);
    if (own) return { ...base, verdict: 'finding', state: own.state, message: own.message };
    const visitor = rule.create({ options: eff.options, severity: eff.severity, now: new Date(), timezone: 'UTC', lookup: { item: () => undefined, sprint: () => undefined }, objectives: [], report: () => undefined, recheckAt: () => undefined });
    if (isAggregate(visitor)) {
      const involved = live.find((f) => f.ruleId === rule.meta.id && f.subject.kind !== 'item' && mentions(f, item));
      if (involved) return { ...base, verdict: 'involved', state: involved.state, message: involved.message };
    }
    return { ...base, verdict: 'pass', state: null, message: isAggregate(visitor) && rule.meta.scope !== 'item' ? `passes (judged per ${rule.meta.scope})` : 'passes' };
  });
}
