import { describe, it } from 'vitest';
import { rule as maxSprintLength } from '../../rules/max-sprint-length.ts';
import { rule as scopeCreep } from '../../rules/scope-creep.ts';
import { rule as sprintCommitmentEstimated } from '../../rules/sprint-commitment-estimated.ts';
import { rule as sprintDatesSet } from '../../rules/sprint-dates-set.ts';
import { rule as sprintGoalSet } from '../../rules/sprint-goal-set.ts';
import type { SprintRef, WorkItem } from '../../src/model/work-item.ts';
import { makeSprint, makeWorkItem } from '../helpers/builders.ts';
import { checkRule } from '../helpers/rule-tester.ts';

describe('sprint-goal-set', () => {
  it('wants a goal on active sprints', () => {
    checkRule(sprintGoalSet, {
      valid: [
        { name: 'goal', items: [], sprints: [makeSprint({ goal: 'Ship instant payouts to 10% of sellers' })] },
        { name: 'closed sprint without goal', items: [], sprints: [makeSprint({ state: 'closed', goal: null })] },
      ],
      invalid: [
        { name: 'none', items: [], sprints: [makeSprint({ key: 'test:sprint-27', name: 'MOB Sprint 27', goal: null })], errors: [{ messageId: 'missing', subject: 'test:sprint-27', data: { sprint: 'MOB Sprint 27', state: 'active' } }] },
        { name: 'placeholder', items: [], sprints: [makeSprint({ goal: 'TBD' })], errors: [{ messageId: 'missing', subject: 'test:sprint-1' }] },
        { name: 'future sprints too', options: { states: ['future'] }, items: [], sprints: [makeSprint({ key: 'test:s2', state: 'future', goal: '' }), makeSprint({ goal: null })], errors: [{ messageId: 'missing', subject: 'test:s2' }] },
      ],
    });
  });
});

describe('sprint-dates-set', () => {
  it('wants both dates, in order', () => {
    checkRule(sprintDatesSet, {
      valid: [
        { name: 'dated', items: [], sprints: [makeSprint()] },
        { name: 'closed without dates', items: [], sprints: [makeSprint({ state: 'closed', startDate: null })] },
      ],
      invalid: [
        { name: 'no end', items: [], sprints: [makeSprint({ endDate: null })], errors: [{ messageId: 'missing', subject: 'test:sprint-1', data: { missing: 'end date' } }] },
        { name: 'neither', items: [], sprints: [makeSprint({ state: 'future', startDate: null, endDate: null })], errors: [{ messageId: 'missing', subject: 'test:sprint-1', data: { missing: 'start date and end date' } }] },
        { name: 'reversed', items: [], sprints: [makeSprint({ startDate: '2026-11-30T08:00:00.000Z', endDate: '2026-11-16T08:00:00.000Z' })], errors: [{ messageId: 'reversed', subject: 'test:sprint-1' }] },
      ],
    });
  });
});

describe('max-sprint-length', () => {
  it('caps the sprint length in days', () => {
    checkRule(maxSprintLength, {
      valid: [
        { name: 'two weeks', items: [], sprints: [makeSprint()] },
        { name: 'exactly 28 days', items: [], sprints: [makeSprint({ startDate: '2026-11-02T08:00:00.000Z', endDate: '2026-11-30T08:00:00.000Z' })] },
      ],
      invalid: [
        { name: '29 days', items: [], sprints: [makeSprint({ startDate: '2026-11-01T08:00:00.000Z', endDate: '2026-11-30T08:00:00.000Z' })], errors: [{ messageId: 'long', subject: 'test:sprint-1', data: { days: 29, maxDays: 28 } }] },
        { name: 'team cadence', options: { maxDays: 14 }, items: [], sprints: [makeSprint({ startDate: '2026-11-16T08:00:00.000Z', endDate: '2026-12-01T08:00:00.000Z' })], errors: [{ messageId: 'long', subject: 'test:sprint-1', data: { days: 15 } }] },
      ],
    });
  });
});

const active: SprintRef = { id: 'sprint-1', name: 'PAY Sprint 1', state: 'active', startDate: '2026-11-16T08:00:00.000Z', endDate: '2026-11-30T17:00:00.000Z' };

describe('sprint-commitment-estimated', () => {
  it('reports unestimated and unassigned committed items per sprint', () => {
    checkRule(sprintCommitmentEstimated, {
      valid: [
        { name: 'all good', items: [makeWorkItem({ sprint: active })] },
        { name: 'done items do not count', items: [makeWorkItem({ sprint: active, estimate: null, statusCategory: 'done' })] },
        { name: 'future sprint', items: [makeWorkItem({ sprint: { ...active, state: 'future' }, estimate: null })] },
        { name: 'assignee optional', options: { requireAssignee: false }, items: [makeWorkItem({ sprint: active, assignee: null })] },
      ],
      invalid: [
        {
          name: 'gaps',
          items: [makeWorkItem({ nativeKey: 'PAY-2', sprint: active, estimate: null }), makeWorkItem({ nativeKey: 'PAY-1', sprint: active, estimate: null, assignee: null }), makeWorkItem({ sprint: active })],
          errors: [{ messageId: 'gaps', subject: 'test:sprint-1', data: { total: 3, gaps: '2 unestimated (PAY-1, PAY-2) and 1 unassigned (PAY-1)' } }],
        },
      ],
    });
  });
});

describe('scope-creep', () => {
  const joined = (nativeKey: string, at: string, estimate: number): WorkItem =>
    makeWorkItem({ nativeKey, sprint: active, estimate, history: [{ at, field: 'sprint', from: null, to: 'PAY Sprint 1' }] });
  const planned = [joined('PAY-1', '2026-11-15T10:00:00.000Z', 5), joined('PAY-2', '2026-11-16T09:00:00.000Z', 5)];

  it('weighs work added after the start (plus grace) against the commitment', () => {
    checkRule(scopeCreep, {
      valid: [
        { name: 'added within grace', items: [...planned, joined('PAY-3', '2026-11-17T07:00:00.000Z', 5)] },
        { name: '20% (boundary)', items: [...planned, joined('PAY-3', '2026-11-18T09:00:00.000Z', 2)] },
      ],
      invalid: [
        { name: '30%', items: [...planned, joined('PAY-3', '2026-11-18T09:00:00.000Z', 3)], errors: [{ messageId: 'creep', subject: 'test:sprint-1', data: { added: 3, committed: 10, percent: 30, limit: 20, unit: 'points' } }] },
        { name: 'by items', options: { measure: 'items', maxShare: 0.4 }, items: [...planned, joined('PAY-3', '2026-11-18T09:00:00.000Z', 1)], errors: [{ messageId: 'creep', subject: 'test:sprint-1', data: { added: 1, committed: 2, percent: 50, unit: 'items' } }] },
      ],
    });
  });
});
