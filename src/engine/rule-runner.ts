import type { FindingSubject } from '../model/finding.ts';
import type { WorkItem } from '../model/work-item.ts';
import type { ReportedFinding } from '../store/findings.ts';
import type { ItemRepo } from '../store/items.ts';
import { errorMessage } from '../util/errors.ts';
import type { ObjectiveSpec } from './objective-match.ts';
import { RuleAbort, isAggregate, type PortfolioLookup, type RuleVisitor } from './rule.ts';
import { itemSubject, type EffectiveRule, type RulePlan } from './rule-config.ts';
import { classify, type TypeMappingEntry } from './type-mapping.ts';
import { toFinding } from './to-finding.ts';

/** A subject a rule failed on, with what the `rule-error` finding about it needs. */
export type FailedSubject = FindingSubject & { url?: string | null; project?: string | null; team?: string | null; source?: string | null };

/** A rule's failure on one subject, as plain data (it crosses from item-pass threads). */
export interface RuleFailure {
  ruleId: string;
  subject: FailedSubject;
  /** The rule gave up for the rest of the run (`RuleAbort`), rather than failing on this subject. */
  abort: boolean;
  message: string;
}

/** Where an aggregate rule's per-item facts go: a fact-table column on the main thread, a message batch on an item-pass thread. */
export interface FactSink {
  set(key: string, fact: unknown): unknown;
}

/** What the shared pass reports to: the evaluation on the main thread, or an item-pass thread. */
export interface RunnerHost {
  plan: RulePlan;
  typeMapping: readonly TypeMappingEntry[];
  now: Date;
  timezone: string;
  objectives: readonly ObjectiveSpec[];
  lookup: PortfolioLookup;
  /** Rules stopped for this run: skipped from then on. */
  aborted: ReadonlySet<string>;
  report(finding: ReportedFinding): void;
  fail(failure: RuleFailure): void;
  /** The sink of one aggregate visitor's facts; asked once per visitor configuration. */
  factsFor(signature: string): FactSink;
  /** The earliest instant (epoch ms) an item's verdicts may change although the item does not. */
  recheck(key: string, at: number): void;
}

export interface LiveVisitor {
  eff: EffectiveRule;
  visitor: RuleVisitor;
  aggregate: boolean;
}

/** Looked-up items kept (between runs, on the main thread); beyond this the cache starts over. */
const MAX_LOOKUPS = 50_000;

/** `PortfolioLookup` over the store's items, caching each looked-up item (or its absence) in `cache`. */
export function cachedLookup(items: Pick<ItemRepo, 'get' | 'sprint'>, cache: Map<string, WorkItem | null>): PortfolioLookup {
  return {
    item: (key) => {
      let found = cache.get(key);
      if (found === undefined) {
        if (cache.size >= MAX_LOOKUPS) cache.clear();
        found = items.get(key) ?? null;
        cache.set(key, found);
      }
      return found ?? undefined;
    },
    sprint: (key) => items.sprint(key),
  };
}

export function ruleFailure(ruleId: string, subject: FailedSubject, err: unknown): RuleFailure {
  return { ruleId, subject, abort: err instanceof RuleAbort, message: errorMessage(err) };
}

/**
 * The per-item half of an evaluation: every enabled rule's visitor, created once per distinct
 * configuration, run over items one at a time. The same code runs on the main thread and on the
 * item-pass threads of a parallel evaluation, so both judge an item identically.
 */
export function createRuleRunner(host: RunnerHost) {
  const { plan, typeMapping, aborted } = host;
  let phase: 'items' | 'aggregate' = 'items';
  /** The item whose `item()` verdicts are being computed, for `recheckAt`. */
  let current: string | null = null;
  /** The earliest `recheckAt` instant reported for `current` so far. */
  let currentRecheck = Number.POSITIVE_INFINITY;
  const visitors = new Map<string, LiveVisitor>();
  /** While a grouped rule judges some of its groups: reports about other subjects are dropped (made from partial facts). */
  let only: { rule: string; subjects: ReadonlySet<string> } | null = null;

  const liveFor = (eff: EffectiveRule): LiveVisitor | undefined => {
    if (eff.severity === 'off' || aborted.has(eff.rule.meta.id)) return undefined;
    const existing = visitors.get(eff.signature);
    if (existing) return existing;
    const severity = eff.severity;
    const rule = eff.rule;
    let aggregate = false;
    const visitor = rule.create({
      options: eff.options,
      severity,
      now: host.now,
      timezone: host.timezone,
      lookup: host.lookup,
      objectives: host.objectives,
      report: (r) => {
        if (aggregate && phase === 'items') throw new Error(`rule ${rule.meta.id} reports outside done()/sprint()`);
        if (only !== null && only.rule === rule.meta.id && !only.subjects.has(r.subject.key)) return;
        host.report(toFinding(rule, severity, r));
      },
      recheckAt: (instant) => {
        // Kept for the item being visited and handed on once after it (a lookup in a map of every
        // item per rule per item was a measurable share of a 1M-item run).
        if (current === null || !Number.isFinite(instant)) return;
        if (instant < currentRecheck) currentRecheck = instant;
      },
    });
    aggregate = isAggregate(visitor);
    const live = { eff, visitor, aggregate };
    visitors.set(eff.signature, live);
    return live;
  };

  /** Per distinct configuration: the enabled visitors and their fact sinks, resolved once. */
  const byVariant = new Map<EffectiveRule[], Array<{ live: LiveVisitor; facts: FactSink | null }>>();
  const livesFor = (variant: EffectiveRule[]) => {
    let lives = byVariant.get(variant);
    if (lives) return lives;
    lives = [];
    for (const eff of variant) {
      const live = liveFor(eff);
      if (!live) continue;
      lives.push({ live, facts: live.visitor.collect ? host.factsFor(eff.signature) : null });
    }
    byVariant.set(variant, lives);
    return lives;
  };

  // Create every configured visitor up front, so aggregate rules run even over an empty portfolio.
  for (const variant of [plan.forSubject({ source: null, project: null, team: null }), ...plan.variants()]) {
    for (const eff of variant) liveFor(eff);
  }

  return {
    visitors,
    liveFor,

    /** Runs every enabled rule's `item()` and `collect()` on one item. */
    visitItem(raw: WorkItem): void {
      const { item, classes } = classify(typeMapping, raw);
      current = item.key;
      for (const { live, facts } of livesFor(plan.forSubject(itemSubject(item, classes)))) {
        const { visitor } = live;
        if (aborted.size > 0 && aborted.has(live.eff.rule.meta.id)) continue;
        try {
          if (visitor.item) visitor.item(item, classes);
          if (facts !== null) {
            const fact = visitor.collect!(item);
            if (fact !== undefined) facts.set(item.key, fact);
          }
        } catch (err) {
          host.fail(ruleFailure(live.eff.rule.meta.id, { kind: 'item', key: item.key, url: item.url, source: item.source, project: item.project, team: item.team }, err));
        }
      }
      if (currentRecheck !== Number.POSITIVE_INFINITY) {
        host.recheck(item.key, currentRecheck);
        currentRecheck = Number.POSITIVE_INFINITY;
      }
      current = null;
    },

    /** From here on aggregate rules may report (sprints and `done()`). */
    startAggregates(): void {
      phase = 'aggregate';
    },

    /** Until called again with `null`: `rule` reports only about these subjects (its changed groups). */
    judgeOnly(rule: string, subjects: ReadonlySet<string> | null): void {
      only = subjects === null ? null : { rule, subjects };
    },
  };
}

export type RuleRunner = ReturnType<typeof createRuleRunner>;
