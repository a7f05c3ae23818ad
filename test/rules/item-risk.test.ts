import { describe, expect, it } from 'vitest';
import { rule as blockedTooLong } from '../../rules/blocked-too-long.ts';
import { rule as dueSoonNotStarted } from '../../rules/due-soon-not-started.ts';
import { rule as highPriorityUnassigned } from '../../rules/high-priority-unassigned.ts';
import { rule as reopenedWork } from '../../rules/reopened-work.ts';
import { rule as sprintCarryOver } from '../../rules/sprint-carry-over.ts';
import { rule as overdue } from '../../rules/overdue.ts';
import { rule as staleInProgress } from '../../rules/stale-in-progress.ts';
import { runRule as runRuleOver } from '../../src/engine/run-rule.ts';
import type { AnyRule } from '../../src/engine/rule.ts';
import type { WorkItem } from '../../src/model/work-item.ts';
import { inProgress, makeWorkItem } from '../helpers/builders.ts';
import { NOW, checkRule } from '../helpers/rule-tester.ts';

/** The instant an item rule asks to be re-checked at (incremental evaluation). */
function recheckOf(rule: AnyRule, item: WorkItem, timezone = 'UTC'): string | null {
  let at: number | null = null;
  const visitor = rule.create({
    options: rule.meta.options.parse({}),
    severity: 'warning',
    now: NOW,
    timezone,
    lookup: { item: () => undefined, sprint: () => undefined },
    objectives: [],
    report: () => undefined,
    recheckAt: (t) => (at = at === null ? t : Math.min(at, t)),
  });
  visitor.item?.(item, []);
  return at === null ? null : new Date(at).toISOString();
}

describe('due-soon-not-started', () => {
  it('flags unstarted work due within the window, counting local calendar days', () => {
    checkRule(dueSoonNotStarted, {
      valid: [
        { name: 'six days out', items: [makeWorkItem({ dueDate: '2026-11-27' })] },
        { name: 'started', items: [inProgress({ dueDate: '2026-11-22' })] },
        { name: 'overdue is not "soon"', items: [makeWorkItem({ dueDate: '2026-11-20' })] },
      ],
      invalid: [
        { name: 'five days out (boundary)', items: [makeWorkItem({ nativeKey: 'PAY-1', dueDate: '2026-11-26' })], errors: [{ messageId: 'soon', subject: 'test:PAY-1', data: { daysLeft: 5, when: 'in 5 days' } }] },
        { name: 'due today', items: [makeWorkItem({ nativeKey: 'PAY-2', dueDate: '2026-11-21' })], errors: [{ messageId: 'soon', subject: 'test:PAY-2', data: { when: 'today' } }] },
        { name: 'narrower window', options: { days: 1 }, items: [makeWorkItem({ nativeKey: 'PAY-3', dueDate: '2026-11-22' }), makeWorkItem({ dueDate: '2026-11-23' })], errors: [{ messageId: 'soon', subject: 'test:PAY-3', data: { when: 'in 1 day' } }] },
      ],
    });
  });

  it('asks to be re-checked the local midnight the item enters the window', () => {
    expect(recheckOf(dueSoonNotStarted, makeWorkItem({ dueDate: '2026-12-10' }), 'Europe/Berlin')).toBe('2026-12-04T23:00:00.000Z');
  });
});

describe('blocked-too-long', () => {
  const flagged = (at: string, over: Partial<WorkItem> = {}) =>
    inProgress({ nativeKey: 'PAY-9', blocked: true, history: [{ at, field: 'Flagged', from: null, to: 'Impediment' }], ...over });

  it('counts days from when the flag was raised', () => {
    checkRule(blockedTooLong, {
      valid: [
        { name: 'two days', items: [flagged('2026-11-19T11:00:00.000Z')] },
        { name: 'not blocked', items: [inProgress()] },
        { name: 'done', items: [flagged('2026-11-01T00:00:00.000Z', { statusCategory: 'done' })] },
      ],
      invalid: [
        { name: 'three days (boundary)', items: [flagged('2026-11-18T12:00:00.000Z')], errors: [{ messageId: 'blocked', subject: 'test:PAY-9', data: { days: 3, limit: 3 } }] },
        { name: 'blocked status', items: [inProgress({ nativeKey: 'PAY-8', blocked: true, transitions: [{ at: '2026-11-10T09:00:00.000Z', from: 'In Progress', to: 'Blocked', fromCategory: 'in_progress', toCategory: 'in_progress' }] })], errors: [{ messageId: 'blocked', subject: 'test:PAY-8', data: { days: 11 } }] },
        { name: 'stricter limit', options: { days: 1 }, items: [flagged('2026-11-20T11:00:00.000Z')], errors: [{ messageId: 'blocked', subject: 'test:PAY-9', data: { days: 1 } }] },
      ],
    });
    expect(recheckOf(blockedTooLong, flagged('2026-11-20T11:00:00.000Z'))).toBe('2026-11-23T11:00:00.000Z');
  });
});

describe('high-priority-unassigned', () => {
  it('flags high-priority open work with no owner after a grace period', () => {
    checkRule(highPriorityUnassigned, {
      valid: [
        { name: 'assigned', items: [makeWorkItem({ priority: 'Highest' })] },
        { name: 'medium', items: [makeWorkItem({ priority: 'Medium', assignee: null })] },
        { name: 'inside grace', items: [makeWorkItem({ priority: 'High', assignee: null, createdAt: '2026-11-21T09:00:00.000Z' })] },
      ],
      invalid: [
        { name: 'jira highest', items: [makeWorkItem({ nativeKey: 'PAY-1', priority: 'Highest', assignee: null })], errors: [{ messageId: 'unassigned', subject: 'test:PAY-1', data: { priority: 'Highest', age: '51 days' } }] },
        { name: 'ado 1', items: [makeWorkItem({ nativeKey: '4711', priority: '1', assignee: null, createdAt: '2026-11-21T08:00:00.000Z' })], errors: [{ messageId: 'unassigned', subject: 'test:4711', data: { age: '0 days' } }] },
        { name: 'site priorities', options: { priorities: ['P0'], graceHours: 0 }, items: [makeWorkItem({ nativeKey: 'PAY-2', priority: 'P0', assignee: null, createdAt: '2026-11-21T11:59:00.000Z' })], errors: [{ messageId: 'unassigned', subject: 'test:PAY-2' }] },
      ],
    });
  });
});

describe('reopened-work', () => {
  const reopen = (at: string) => ({ at, from: 'Done', to: 'In Progress', fromCategory: 'done' as const, toCategory: 'in_progress' as const });
  it('counts moves out of done', () => {
    checkRule(reopenedWork, {
      valid: [
        { name: 'never reopened', items: [inProgress()] },
        { name: 'once, limit two', options: { times: 2 }, items: [inProgress({ transitions: [reopen('2026-11-10T09:00:00.000Z')] })] },
      ],
      invalid: [
        { name: 'once', items: [inProgress({ nativeKey: 'PAY-1', transitions: [reopen('2026-11-10T09:00:00.000Z')] })], errors: [{ messageId: 'reopened', subject: 'test:PAY-1', data: { times: 'once' } }] },
        { name: 'twice', items: [inProgress({ nativeKey: 'PAY-2', transitions: [reopen('2026-11-10T09:00:00.000Z'), reopen('2026-11-12T09:00:00.000Z')] })], errors: [{ messageId: 'reopened', subject: 'test:PAY-2', data: { times: '2 times' } }] },
      ],
    });
  });
});

describe('sprint-carry-over', () => {
  const sprint = { id: '3', name: 'PAY Sprint 3', state: 'active' as const, startDate: '2026-11-16T08:00:00.000Z', endDate: '2026-11-30T17:00:00.000Z' };
  const moved = (to: string, at: string) => ({ at, field: 'sprint', from: null, to });

  it('counts the sprints an unfinished item has been planned into', () => {
    checkRule(sprintCarryOver, {
      valid: [
        { name: 'first sprint', items: [inProgress({ sprint, history: [moved('PAY Sprint 3', '2026-11-16T08:00:00.000Z')] })] },
        { name: 'carried once', items: [inProgress({ sprint, history: [moved('PAY Sprint 2', '2026-11-02T08:00:00.000Z'), moved('PAY Sprint 3', '2026-11-16T08:00:00.000Z')] })] },
        { name: 'done', items: [makeWorkItem({ sprint, statusCategory: 'done', history: [moved('PAY Sprint 1', '2026-10-19T08:00:00.000Z'), moved('PAY Sprint 2', '2026-11-02T08:00:00.000Z')] })] },
      ],
      invalid: [
        {
          name: 'carried twice (boundary), Jira multi-sprint values',
          items: [inProgress({ nativeKey: 'PAY-1', sprint, history: [moved('PAY Sprint 1', '2026-10-19T08:00:00.000Z'), moved('PAY Sprint 1, PAY Sprint 2', '2026-11-02T08:00:00.000Z')] })],
          errors: [{ messageId: 'carried', subject: 'test:PAY-1', data: { carried: 2, sprint: 'PAY Sprint 3' } }],
        },
        { name: 'stricter', options: { maxCarryOvers: 1 }, items: [inProgress({ nativeKey: 'PAY-2', sprint, history: [moved('PAY Sprint 2', '2026-11-02T08:00:00.000Z')] })], errors: [{ messageId: 'carried', subject: 'test:PAY-2', data: { carried: 1 } }] },
      ],
    });
  });
});

describe('time-dependent item rules ask to be re-checked', () => {
  it('stale-in-progress when the next whole day passes, overdue at the local midnight after the due date', () => {
    const moved = inProgress({ updatedAt: '2026-11-19T10:00:00.000Z', transitions: [{ at: '2026-11-19T10:00:00.000Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' }] });

    expect(recheckOf(staleInProgress, moved)).toBe('2026-11-24T10:00:00.000Z');
    expect(recheckOf(overdue, makeWorkItem({ dueDate: '2026-11-25' }), 'Europe/Berlin')).toBe('2026-11-25T23:00:00.000Z');
    expect(runRuleOver(overdue, { items: [makeWorkItem({ dueDate: '2026-11-20' })], now: NOW, timezone: 'UTC' })).toHaveLength(1);
  });
});
