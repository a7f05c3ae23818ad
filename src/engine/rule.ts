import type { z } from 'zod';
import type { Evidence, FindingSubject, FixSpec, RuleCategory, RuleScope, Severity } from '../model/finding.ts';
import type { Person, Sprint, WorkItem } from '../model/work-item.ts';
import type { ObjectiveSpec } from './objective-match.ts';

/** The ESLint shape: static `meta` plus `create(ctx)` returning a visitor for one shared pass. */
export interface RuleMeta<O> {
  id: string;
  category: RuleCategory;
  scope: RuleScope;
  description: string;
  rationale: string;
  defaultSeverity: Severity;
  /** Parses the admin's options; defaults apply to every omitted key. */
  options: z.ZodType<O, unknown>;
  /** Message templates; `{{name}}` is replaced from the report's `data`. */
  messages: Record<string, string>;
  fix?: FixSpec | undefined;
}

export interface RuleReport {
  messageId: string;
  /** A work item (its key, owner, url, project and team are taken from it) or another subject. */
  subject: WorkItem | (FindingSubject & { url?: string | null; project?: string | null; team?: string | null; source?: string | null });
  data?: Record<string, string | number>;
  evidence?: Evidence;
  owner?: Person | null;
}

/** Read access to the rest of the portfolio, for aggregate rules (`done`) that look beyond their facts. */
export interface PortfolioLookup {
  item(key: string): WorkItem | undefined;
  sprint(key: string): Sprint | undefined;
}

export interface RuleContext<O> {
  options: O;
  severity: Severity;
  now: Date;
  timezone: string;
  lookup: PortfolioLookup;
  /** The configured strategic objectives (`objectives:`), for alignment rules. */
  objectives: readonly ObjectiveSpec[];
  report(report: RuleReport): void;
  /**
   * For `item()` verdicts that depend on the clock: the instant (epoch ms) at which this item's
   * verdict may change although the item does not (a stale day count ticking over, a due date
   * passing). Incremental evaluation re-checks unchanged items only then.
   */
  recheckAt(instant: number): void;
}

/**
 * One rule's part of the shared pass. Two shapes, never mixed (a test checks it):
 * - per-item rules implement `item()`: a verdict on one item from that item alone (plus the clock);
 *   incremental evaluation keeps the findings of unchanged items and re-runs only changed ones.
 * - aggregate rules implement `collect()` (a small, clock-independent fact per item, kept between
 *   runs) and/or `sprint()`, and report in `done()` over all facts, every run (over the facts of
 *   changed groups only, for rules that declare `groups`; over changed sprints only, for sprint-only rules).
 */
export interface RuleVisitor<F = unknown> {
  /** `classes` are the item's `typeMapping` classes (e.g. `incident`). */
  item?(item: WorkItem, classes: readonly string[]): void;
  collect?(item: WorkItem): F | undefined;
  /**
   * A verdict on one sprint. In a rule with nothing else (a sprint-only rule) it must come from that
   * sprint alone, without the clock or look-ups: incremental evaluation then re-runs it only for the
   * sprints a sync added or changed and keeps the findings of the others. A rule whose sprint verdicts
   * need more also implements `collect()`/`done()`, and all sprints are judged every run.
   */
  sprint?(sprint: Sprint): void;
  /**
   * Aggregating rules (per sprint, person, project) report here, given every item's fact (for a
   * grouped rule in an incremental run: the facts of the groups to judge; `all` holds every fact).
   */
  done?(facts: ReadonlyMap<string, F>, all: ReadonlyMap<string, F>): void;
  /**
   * For aggregate rules whose verdicts fall into independent groups (a person's load, an item and its
   * open children): the groups a fact counts in. Two promises make it safe: every finding's subject
   * key is one of these group keys, and `done()` given all facts of some groups reports for those
   * groups exactly what it reports given every fact (and needs no clock). An incremental evaluation
   * then re-runs `done()` only over the groups a change touched and keeps the other groups' findings.
   */
  groups?(key: string, fact: F): string | readonly string[];
  /**
   * With `groups`: other items whose change may change the verdict on this fact's groups (the keys
   * `done()` looks up or reads the facts of), and in turn those they use: a change to an item makes
   * the groups of every fact that uses it, directly or through a chain, be judged again.
   */
  uses?(fact: F): readonly string[];
}

export interface RuleDefinition<O = unknown, F = unknown> {
  meta: RuleMeta<O>;
  create(ctx: RuleContext<O>): RuleVisitor<F>;
}

/** Identity helper that keeps a rule's option type flowing from its schema into `create`. */
export function defineRule<O, F = unknown>(rule: RuleDefinition<O, F>): RuleDefinition<O, F> {
  return rule;
}

/** A registry holds rules with different option types; method bivariance lets any rule stand here. */
export type AnyRule = RuleDefinition<unknown, unknown>;

/** True for rules that report in `done()`/`sprint()` (judged after the item pass; see `RuleVisitor`). */
export function isAggregate(visitor: RuleVisitor<unknown>): boolean {
  return visitor.done !== undefined || visitor.sprint !== undefined || visitor.collect !== undefined;
}

/** True for rules that only judge sprints (see `RuleVisitor.sprint`). */
export function isSprintOnly(visitor: RuleVisitor<unknown>): boolean {
  return visitor.sprint !== undefined && visitor.item === undefined && visitor.collect === undefined && visitor.done === undefined;
}

/**
 * `RuleVisitor.groups` of rules that judge each item's fact on its own (the group is the item): the
 * engine then finds a group's fact directly instead of walking every fact.
 */
export function ownGroup(key: string): string {
  return key;
}

/** Thrown by a rule to say it gives up for the rest of this run (e.g. a CEL time budget); its findings are kept. */
export class RuleAbort extends Error {
  override readonly name = 'RuleAbort';
}
