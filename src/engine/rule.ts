import type { z } from 'zod';
import type { Evidence, FindingSubject, FixSpec, RuleCategory, RuleScope, Severity } from '../model/finding.ts';
import type { Person, Sprint, WorkItem } from '../model/work-item.ts';

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

/** Read access to the rest of the portfolio, for rules that look beyond the item in hand. */
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
  report(report: RuleReport): void;
}

export interface RuleVisitor {
  item?(item: WorkItem): void;
  sprint?(sprint: Sprint): void;
  /** Aggregating rules (per sprint, person, project) report here after the pass. */
  done?(): void;
}

export interface RuleDefinition<O = unknown> {
  meta: RuleMeta<O>;
  create(ctx: RuleContext<O>): RuleVisitor;
}

/** Identity helper that keeps a rule's option type flowing from its schema into `create`. */
export function defineRule<O>(rule: RuleDefinition<O>): RuleDefinition<O> {
  return rule;
}

/** A registry holds rules with different option types; method bivariance lets any rule stand here. */
export type AnyRule = RuleDefinition<unknown>;
