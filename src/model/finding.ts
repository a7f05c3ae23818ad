import type { Person } from './work-item.ts';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export const RULE_CATEGORIES = ['compliance', 'risk'] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

export const RULE_SCOPES = ['item', 'sprint', 'project', 'person', 'objective'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

export const FINDING_STATES = ['open', 'snoozed', 'waived', 'resolved'] as const;
export type FindingState = (typeof FINDING_STATES)[number];

export interface FindingSubject {
  kind: RuleScope;
  /** Item key, sprint key, project, person (email or id) or objective id. */
  key: string;
}

export type Evidence = Record<string, string | number | boolean | null | string[] | number[]>;

/** A rule's verdict on one subject; `id` is stable across runs (hash of rule and subject). */
export interface Finding {
  id: string;
  ruleId: string;
  category: RuleCategory;
  severity: Severity;
  subject: FindingSubject;
  message: string;
  evidence: Evidence;
  owner: Person | null;
  state: FindingState;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  /** Where the fact can be checked: the item in Jira / Azure DevOps, or the project's board. */
  url: string | null;
  source: string | null;
  project: string | null;
  team: string | null;
  /** What a compliance prompt asks for, when one answer fixes it. */
  fix: FixSpec | null;
  snoozedUntil: string | null;
}

export const FIX_FIELDS = ['estimate', 'dueDate', 'assignee', 'acceptanceCriteria', 'description', 'priority', 'labels', 'parent'] as const;
export const FIX_INPUTS = ['number', 'date', 'text', 'user', 'select'] as const;

export interface FixSpec {
  field: (typeof FIX_FIELDS)[number];
  input: (typeof FIX_INPUTS)[number];
}

export const FINDING_EVENT_TYPES = [
  'opened',
  'reopened',
  'resolved',
  'severity_changed',
  'snoozed',
  'unsnoozed',
  'waived',
  'unwaived',
  'fixed',
  'handed_over',
  'write_back_failed',
] as const;
export type FindingEventType = (typeof FINDING_EVENT_TYPES)[number];

/** One line of the audit trail: who did what to which finding, when and why. */
export interface FindingEvent {
  id: number;
  findingId: string;
  at: string;
  type: FindingEventType;
  actor: string;
  reason: string | null;
  data: Record<string, unknown> | null;
}
