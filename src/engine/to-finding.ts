import type { FindingSubject, Severity } from '../model/finding.ts';
import type { WorkItem } from '../model/work-item.ts';
import { findingId, type ReportedFinding } from '../store/findings.ts';
import { renderMessage } from './message.ts';
import type { AnyRule, RuleReport } from './rule.ts';

function isWorkItem(subject: RuleReport['subject']): subject is WorkItem {
  return 'nativeKey' in subject && 'sourceKind' in subject;
}

/** A rule's report as the finding the store records (id, message, owner and location filled in). */
export function toFinding(rule: AnyRule, severity: Severity, r: RuleReport): ReportedFinding {
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
