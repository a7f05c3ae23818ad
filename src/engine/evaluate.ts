import { SEVERITY_RANK, type FindingSubject, type Severity } from '../model/finding.ts';
import type { WorkItem } from '../model/work-item.ts';
import type { Store } from '../store/index.ts';
import { findingId, type RecordTally, type ReportedFinding } from '../store/findings.ts';
import type { Clock } from '../util/clock.ts';
import { errorMessage } from '../util/errors.ts';
import type { Logger } from '../util/log.ts';
import { renderMessage } from './message.ts';
import type { AnyRule, PortfolioLookup, RuleReport, RuleVisitor } from './rule.ts';
import { overrideMatches, resolveRules, type EffectiveRule, type RuleOverride, type RuleSetting } from './rule-config.ts';

export interface EvaluateOptions {
  store: Store;
  library: readonly AnyRule[];
  rules: Record<string, RuleSetting>;
  overrides: readonly RuleOverride[];
  clock: Clock;
  timezone: string;
  log: Logger;
  /** The worker cycle this evaluation belongs to; a run of its own is recorded otherwise. */
  runId?: number;
}

export interface EvaluationSummary {
  runId: number;
  items: number;
  sprints: number;
  rules: number;
  findings: RecordTally & { resolved: number; open: number };
  byRule: Record<string, number>;
  ruleErrors: number;
  seconds: number;
}

const FLUSH_EVERY = 5000;

/**
 * One streaming pass of every enabled rule over the stored portfolio. Findings are written as they
 * accumulate; afterwards every live finding the pass did not report again is resolved.
 */
export function evaluate(options: EvaluateOptions): EvaluationSummary {
  const { store, log, clock } = options;
  const started = performance.now();
  const now = clock.now();
  const nowIso = now.toISOString();
  const runId = options.runId ?? store.startRun('check', nowIso);

  const base = resolveRules(options.library, options.rules, []);
  const variantsByMask = new Map<string, EffectiveRule[]>();
  const visitors = new Map<string, RuleVisitor>();
  const lookup: PortfolioLookup = { item: (key) => store.items.get(key), sprint: (key) => store.items.sprint(key) };
  const tally: RecordTally = { opened: 0, reopened: 0, ongoing: 0 };
  const byRule: Record<string, number> = {};
  let buffer = new Map<string, ReportedFinding>();
  let ruleErrors = 0;

  const flush = (): void => {
    if (buffer.size === 0) return;
    const batch = [...buffer.values()];
    buffer = new Map();
    const t = store.transaction(() => store.findings.record(batch, runId, nowIso));
    tally.opened += t.opened;
    tally.reopened += t.reopened;
    tally.ongoing += t.ongoing;
  };

  const visitorFor = (eff: EffectiveRule): RuleVisitor | undefined => {
    if (eff.severity === 'off') return undefined;
    const existing = visitors.get(eff.signature);
    if (existing) return existing;
    const severity = eff.severity;
    const rule = eff.rule;
    const visitor = rule.create({
      options: eff.options,
      severity,
      now,
      timezone: options.timezone,
      lookup,
      report: (r) => {
        const finding = toFinding(rule, severity, r);
        const prior = buffer.get(finding.id);
        if (prior && SEVERITY_RANK[prior.severity] >= SEVERITY_RANK[finding.severity]) return;
        if (!prior) byRule[rule.meta.id] = (byRule[rule.meta.id] ?? 0) + 1;
        buffer.set(finding.id, finding);
        if (buffer.size >= FLUSH_EVERY) pendingFlush = true;
      },
    });
    visitors.set(eff.signature, visitor);
    return visitor;
  };
  let pendingFlush = false;

  const guard = (rule: string, subject: string, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      ruleErrors++;
      if (ruleErrors <= 20) log.warn({ rule, subject, error: errorMessage(err) }, 'Rule failed on a subject; skipped');
    }
  };

  const variantsFor = (item: WorkItem): EffectiveRule[] => {
    if (options.overrides.length === 0) return base;
    const matching = options.overrides.filter((o) => overrideMatches(o.match, item));
    const mask = options.overrides.map((o) => (matching.includes(o) ? '1' : '0')).join('');
    let variants = variantsByMask.get(mask);
    if (!variants) {
      variants = matching.length === 0 ? base : resolveRules(options.library, options.rules, matching);
      variantsByMask.set(mask, variants);
    }
    return variants;
  };

  for (const eff of base) visitorFor(eff);

  let items = 0;
  for (const item of store.items.iterate()) {
    items++;
    for (const eff of variantsFor(item)) {
      const visitor = visitorFor(eff);
      if (visitor?.item) guard(eff.rule.meta.id, item.key, () => visitor.item!(item));
    }
    if (pendingFlush) {
      pendingFlush = false;
      flush();
    }
  }

  const sprints = store.items.sprints();
  for (const sprint of sprints) {
    for (const eff of base) {
      const visitor = visitorFor(eff);
      if (visitor?.sprint) guard(eff.rule.meta.id, sprint.key, () => visitor.sprint!(sprint));
    }
  }
  for (const [signature, visitor] of visitors) {
    if (visitor.done) guard(signature.split('|')[0] ?? signature, '(aggregate)', () => visitor.done!());
  }
  flush();

  const resolved = store.transaction(() => store.findings.resolveUnseen(runId, nowIso));
  const summary: EvaluationSummary = {
    runId,
    items,
    sprints: sprints.length,
    rules: base.filter((e) => e.severity !== 'off').length,
    findings: { ...tally, resolved, open: store.findings.count('open') },
    byRule,
    ruleErrors,
    seconds: (performance.now() - started) / 1000,
  };
  if (options.runId === undefined) store.finishRun(runId, clock.now().toISOString(), true, summary);
  return summary;
}

function isWorkItem(subject: RuleReport['subject']): subject is WorkItem {
  return 'nativeKey' in subject && 'sourceKind' in subject;
}

function toFinding(rule: AnyRule, severity: Severity, r: RuleReport): ReportedFinding {
  const template = rule.meta.messages[r.messageId];
  if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown messageId "${r.messageId}"`);
  const item = isWorkItem(r.subject) ? r.subject : undefined;
  const other = isWorkItem(r.subject) ? undefined : r.subject;
  const subject: FindingSubject = item ? { kind: 'item', key: item.key } : { kind: other!.kind, key: other!.key };
  return {
    id: findingId(rule.meta.id, subject),
    ruleId: rule.meta.id,
    category: rule.meta.category,
    severity,
    subject,
    message: renderMessage(template, r.data),
    evidence: r.evidence ?? {},
    owner: r.owner !== undefined ? r.owner : (item?.assignee ?? null),
    url: item?.url ?? other?.url ?? null,
    source: item?.source ?? other?.source ?? null,
    project: item?.project ?? other?.project ?? null,
    team: item?.team ?? other?.team ?? null,
    fix: rule.meta.fix ?? null,
  };
}
