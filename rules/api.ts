import type { AnyRule } from '../src/engine/rule.ts';
import { rule as acceptanceCriteriaRequired } from './acceptance-criteria-required.ts';
import { rule as agingWip } from './aging-wip.ts';
import { rule as assigneeWhenInProgress } from './assignee-when-in-progress.ts';
import { rule as blockedByOpenDependency } from './blocked-by-open-dependency.ts';
import { rule as blockedTooLong } from './blocked-too-long.ts';
import { rule as bugInflowSpike } from './bug-inflow-spike.ts';
import { rule as definitionOfDone } from './definition-of-done.ts';
import { rule as descriptionRequired } from './description-required.ts';
import { rule as dueDateRequired } from './due-date-required.ts';
import { rule as dueSoonNotStarted } from './due-soon-not-started.ts';
import { rule as estimateRequired } from './estimate-required.ts';
import { rule as highPriorityUnassigned } from './high-priority-unassigned.ts';
import { rule as maxSprintLength } from './max-sprint-length.ts';
import { rule as objectiveAtRisk } from './objective-at-risk.ts';
import { rule as objectiveLinkRequired } from './objective-link-required.ts';
import { rule as overdue } from './overdue.ts';
import { rule as parentRequired } from './parent-required.ts';
import { rule as personOverallocated } from './person-overallocated.ts';
import { rule as priorityRequired } from './priority-required.ts';
import { rule as reopenedWork } from './reopened-work.ts';
import { rule as riskRegisterHygiene } from './risk-register-hygiene.ts';
import { rule as scopeCreep } from './scope-creep.ts';
import { rule as sprintCarryOver } from './sprint-carry-over.ts';
import { rule as sprintCommitmentEstimated } from './sprint-commitment-estimated.ts';
import { rule as sprintDatesSet } from './sprint-dates-set.ts';
import { rule as sprintGoalSet } from './sprint-goal-set.ts';
import { rule as stageGateApproval } from './stage-gate-approval.ts';
import { rule as staleInProgress } from './stale-in-progress.ts';
import { rule as velocityDrop } from './velocity-drop.ts';
import { rule as wipLimit } from './wip-limit.ts';
import { rule as zombieProject } from './zombie-project.ts';

/** The built-in rule library, sorted by id; a test checks every file in rules/ is registered here. */
export const builtInRules: readonly AnyRule[] = [
  acceptanceCriteriaRequired,
  agingWip,
  assigneeWhenInProgress,
  blockedByOpenDependency,
  blockedTooLong,
  bugInflowSpike,
  definitionOfDone,
  descriptionRequired,
  dueDateRequired,
  dueSoonNotStarted,
  estimateRequired,
  highPriorityUnassigned,
  maxSprintLength,
  objectiveAtRisk,
  objectiveLinkRequired,
  overdue,
  parentRequired,
  personOverallocated,
  priorityRequired,
  reopenedWork,
  riskRegisterHygiene,
  scopeCreep,
  sprintCarryOver,
  sprintCommitmentEstimated,
  sprintDatesSet,
  sprintGoalSet,
  stageGateApproval,
  staleInProgress,
  velocityDrop,
  wipLimit,
  zombieProject,
];

export function ruleIds(): string[] {
  return builtInRules.map((r) => r.meta.id);
}
