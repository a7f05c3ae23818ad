import { describe, expect, it } from 'vitest';
import { rule as assigneeWhenInProgress } from '../../rules/assignee-when-in-progress.ts';
import { rule as estimateRequired } from '../../rules/estimate-required.ts';
import { rule as overdue } from '../../rules/overdue.ts';
import { rule as staleInProgress } from '../../rules/stale-in-progress.ts';
import { rule as wipLimit } from '../../rules/wip-limit.ts';
import { inProgress, makeWorkItem } from '../helpers/builders.ts';
import { checkRule, runRule } from '../helpers/rule-tester.ts';

const ada = { id: 'u1', name: 'Ada Lovelace', email: 'ada@acme.example' };
const adaOnAdo = { id: 'guid-7', name: 'Ada L.', email: 'ADA@acme.example' };
const grace = { id: 'u2', name: 'Grace Hopper', email: 'grace@acme.example' };

describe('estimate-required', () => {
  it('flags open stories and bugs without an estimate', () => {
    checkRule(estimateRequired, {
      valid: [
        { name: 'estimated story', items: [makeWorkItem({ estimate: 5 })] },
        { name: 'zero is an estimate', items: [makeWorkItem({ estimate: 0 })] },
        { name: 'done story', items: [makeWorkItem({ estimate: null, statusCategory: 'done', status: 'Done' })] },
        { name: 'tasks are not checked by default', items: [makeWorkItem({ estimate: null, typeCategory: 'task', type: 'Task' })] },
      ],
      invalid: [
        { name: 'unestimated story', items: [makeWorkItem({ nativeKey: 'PAY-7', estimate: null })], errors: [{ messageId: 'missing', subject: 'test:PAY-7', data: { key: 'PAY-7' } }] },
        { name: 'done counts with includeDone', options: { includeDone: true }, items: [makeWorkItem({ nativeKey: 'PAY-8', estimate: null, statusCategory: 'done' })], errors: [{ messageId: 'missing', subject: 'test:PAY-8' }] },
        { name: 'tasks when configured', options: { types: ['task'] }, items: [makeWorkItem({ nativeKey: 'PAY-9', estimate: null, typeCategory: 'task' }), makeWorkItem({ nativeKey: 'PAY-10', estimate: null })], errors: [{ messageId: 'missing', subject: 'test:PAY-9' }] },
      ],
    });
  });

  it('rejects bad options loudly', () => {
    expect(() => estimateRequired.meta.options.parse({ types: ['storey'] })).toThrow();
    expect(() => estimateRequired.meta.options.parse({ typo: true })).toThrow();
  });
});

describe('assignee-when-in-progress', () => {
  it('flags in-progress work with nobody assigned', () => {
    checkRule(assigneeWhenInProgress, {
      valid: [
        { name: 'assigned', items: [inProgress()] },
        { name: 'unassigned but not started', items: [makeWorkItem({ assignee: null })] },
        { name: 'epics are not checked', items: [inProgress({ assignee: null, typeCategory: 'epic' })] },
      ],
      invalid: [{ name: 'unassigned in progress', items: [inProgress({ nativeKey: 'PAY-3', assignee: null })], errors: [{ messageId: 'unassigned', subject: 'test:PAY-3', data: { status: 'In Progress' } }] }],
    });
  });
});

describe('stale-in-progress', () => {
  const movedAt = (at: string) =>
    inProgress({ nativeKey: 'PAY-5', updatedAt: at, transitions: [{ at, from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' }] });

  it('counts whole days since the last movement against the limit', () => {
    checkRule(staleInProgress, {
      valid: [
        { name: 'moved 4 days ago', items: [movedAt('2026-11-17T11:00:00.000Z')] },
        { name: 'done items never stale', items: [makeWorkItem({ updatedAt: '2026-01-01T00:00:00.000Z', statusCategory: 'done' })] },
        { name: 'a recent edit counts as movement by default', items: [{ ...movedAt('2026-11-01T00:00:00.000Z'), updatedAt: '2026-11-20T00:00:00.000Z' }] },
      ],
      invalid: [
        { name: 'exactly at the limit', items: [movedAt('2026-11-16T12:00:00.000Z')], errors: [{ messageId: 'stale', subject: 'test:PAY-5', data: { days: 5, limit: 5 } }] },
        { name: 'custom limit', options: { days: 2 }, items: [movedAt('2026-11-18T11:00:00.000Z')], errors: [{ messageId: 'stale', subject: 'test:PAY-5', data: { days: 3, limit: 2 } }] },
        { name: 'status-only movement ignores edits', options: { activity: 'status' }, items: [{ ...movedAt('2026-11-01T00:00:00.000Z'), updatedAt: '2026-11-20T00:00:00.000Z' }], errors: [{ messageId: 'stale', subject: 'test:PAY-5', data: { days: 20 } }] },
      ],
    });
  });
});

describe('overdue', () => {
  it('flags unfinished work whose due date has passed, in calendar days', () => {
    checkRule(overdue, {
      valid: [
        { name: 'due today', items: [makeWorkItem({ dueDate: '2026-11-21' })] },
        { name: 'done late is not overdue', items: [makeWorkItem({ dueDate: '2026-11-01', statusCategory: 'done' })] },
        { name: 'within grace', options: { graceDays: 3 }, items: [makeWorkItem({ dueDate: '2026-11-18' })] },
        { name: 'no due date', items: [makeWorkItem()] },
      ],
      invalid: [{ name: 'due yesterday', items: [makeWorkItem({ nativeKey: 'PAY-2', dueDate: '2026-11-20' })], errors: [{ messageId: 'overdue', subject: 'test:PAY-2', data: { days: 1, dueDate: '2026-11-20' } }] }],
    });
  });
});

describe('wip-limit', () => {
  it('merges identities by email across sources and reports once per person', () => {
    const items = [
      inProgress({ nativeKey: 'PAY-1', assignee: ada }),
      inProgress({ nativeKey: 'PAY-2', assignee: ada }),
      inProgress({ nativeKey: 'PAY-3', assignee: ada }),
      inProgress({ nativeKey: '4711', source: 'ado', key: 'ado:4711', assignee: adaOnAdo }),
      inProgress({ nativeKey: 'PAY-4', assignee: grace }),
      makeWorkItem({ nativeKey: 'PAY-5', assignee: ada }),
    ];

    const reports = runRule(wipLimit, { name: 'cross-source', items });

    expect(reports).toHaveLength(1);
    expect(reports[0]?.subject).toMatchObject({ kind: 'person', key: 'ada@acme.example' });
    expect(reports[0]?.evidence).toMatchObject({ wip: 4, limit: 3, items: ['4711', 'PAY-1', 'PAY-2', 'PAY-3'] }); // sorted by item key (ado:… < test:…)
  });

  it('applies per-status limits per project', () => {
    const review = (k: string) => inProgress({ nativeKey: k, status: 'In Review', assignee: null });
    checkRule(wipLimit, {
      valid: [{ name: 'at the limit', options: { perStatus: { 'In Review': 2 } }, items: [review('R-1'), review('R-2')] }],
      invalid: [
        { name: 'over the limit', options: { perStatus: { 'In Review': 2 } }, items: [review('R-1'), review('R-2'), review('R-3')], errors: [{ messageId: 'status', subject: 'test:PAY:In Review', data: { wip: 3, limit: 2 } }] },
      ],
    });
  });
});
