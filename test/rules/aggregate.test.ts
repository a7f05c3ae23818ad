import { describe, expect, it } from 'vitest';
import { rule as agingWip } from '../../rules/aging-wip.ts';
import { rule as blockedByOpenDependency } from '../../rules/blocked-by-open-dependency.ts';
import { rule as bugInflowSpike } from '../../rules/bug-inflow-spike.ts';
import { rule as definitionOfDone } from '../../rules/definition-of-done.ts';
import { rule as objectiveLinkRequired } from '../../rules/objective-link-required.ts';
import { rule as personOverallocated } from '../../rules/person-overallocated.ts';
import { rule as velocityDrop } from '../../rules/velocity-drop.ts';
import { rule as zombieProject } from '../../rules/zombie-project.ts';
import type { WorkItem } from '../../src/model/work-item.ts';
import { inProgress, makeWorkItem } from '../helpers/builders.ts';
import { checkRule, runRule } from '../helpers/rule-tester.ts';

const ada = { id: 'u1', name: 'Ada Lovelace', email: 'ada@acme.example' };
const adaOnAdo = { id: 'guid-7', name: 'Ada L.', email: 'ADA@acme.example' };
const day = (n: number) => new Date(Date.parse('2026-11-21T12:00:00.000Z') - n * 86_400_000).toISOString();

describe('aging-wip', () => {
  const doneIn = (k: string, days: number) => makeWorkItem({ nativeKey: k, statusCategory: 'done', startedAt: day(10 + days), resolvedAt: day(10) });
  const history = Array.from({ length: 10 }, (_, i) => doneIn(`D-${i}`, i + 1)); // cycle times 1..10 days: p85 = 9

  it("compares age with the team's own percentile", () => {
    checkRule(agingWip, {
      valid: [
        { name: 'younger than p85', items: [...history, inProgress({ startedAt: day(8) })] },
        { name: 'too little history', items: [...history.slice(0, 7), inProgress({ startedAt: day(40) })] },
        { name: 'other team has no history', items: [...history, inProgress({ team: 'Mobile', startedAt: day(40) })] },
      ],
      invalid: [
        { name: 'older than p85', items: [...history, inProgress({ nativeKey: 'PAY-1', startedAt: day(9.5) })], errors: [{ messageId: 'aging', subject: 'test:PAY-1', data: { age: 9, limit: 9, pct: 85, team: 'Payments' } }] },
        { name: 'p50', options: { percentile: 0.5 }, items: [...history, inProgress({ nativeKey: 'PAY-2', startedAt: day(6) })], errors: [{ messageId: 'aging', subject: 'test:PAY-2', data: { limit: 5 } }] },
      ],
    });
  });

  it('ignores completions outside the window', () => {
    const old = Array.from({ length: 10 }, (_, i) => makeWorkItem({ statusCategory: 'done', startedAt: day(200), resolvedAt: day(199 - i) }));
    expect(runRule(agingWip, { name: 'old', items: [...old, inProgress({ startedAt: day(30) })] })).toEqual([]);
  });
});

describe('blocked-by-open-dependency', () => {
  it('reports waiting on open work, and says when the blocker is itself blocked', () => {
    const blocker = inProgress({ nativeKey: 'PAY-1' });
    const flaggedBlocker = inProgress({ nativeKey: 'PAY-2', blocked: true });
    const finished = makeWorkItem({ nativeKey: 'PAY-3', statusCategory: 'done', status: 'Done' });
    const waits = (k: string, on: string, type = 'is blocked by') => makeWorkItem({ nativeKey: k, links: [{ type, targetKey: `test:${on}` }] });

    checkRule(blockedByOpenDependency, {
      valid: [
        { name: 'blocker done', items: [finished, waits('PAY-10', 'PAY-3')] },
        { name: 'unknown target', items: [waits('PAY-10', 'NOPE-1')] },
        { name: 'relates to is not a dependency', items: [blocker, waits('PAY-10', 'PAY-1', 'relates to')] },
        { name: 'only chains wanted', options: { onlyWhenBlocked: true }, items: [blocker, waits('PAY-10', 'PAY-1')] },
      ],
      invalid: [
        { name: 'open blocker', items: [blocker, waits('PAY-10', 'PAY-1')], errors: [{ messageId: 'open', subject: 'test:PAY-10', data: { targets: 'PAY-1 (In Progress)' } }] },
        { name: 'blocked blocker', items: [blocker, flaggedBlocker, makeWorkItem({ nativeKey: 'PAY-11', links: [{ type: 'Is Blocked By', targetKey: 'test:PAY-1' }, { type: 'depends on', targetKey: 'test:PAY-2' }] })], errors: [{ messageId: 'chain', subject: 'test:PAY-11', data: { targets: 'PAY-2 (In Progress)' } }] },
      ],
    });
  });
});

describe('bug-inflow-spike', () => {
  const bug = (daysAgo: number, project = 'PAY') => makeWorkItem({ typeCategory: 'bug', project, createdAt: day(daysAgo) });
  it('compares last week with the weekly average of the weeks before', () => {
    const weekly = () => [bug(10), bug(15), bug(20), bug(25)]; // 4 over 4 weeks: 1 a week
    const baseline = weekly();
    checkRule(bugInflowSpike, {
      valid: [
        { name: 'four this week (below minBugs)', items: [...baseline, bug(1), bug(2), bug(3), bug(4)] },
        { name: 'five, but the usual rate is higher', items: [...weekly(), ...weekly(), ...weekly(), bug(1), bug(2), bug(3), bug(4), bug(5)] },
      ],
      invalid: [
        { name: 'five this week (boundary)', items: [...baseline, bug(1), bug(2), bug(3), bug(4), bug(6)], errors: [{ messageId: 'spike', subject: 'bugs:test:PAY', data: { last: 5, average: 1, factor: 5 } }] },
        { name: 'from nothing', options: { minBugs: 2 }, items: [bug(1, 'MOB'), bug(2, 'MOB')], errors: [{ messageId: 'spike', subject: 'bugs:test:MOB', data: { factor: '∞' } }] },
      ],
    });
  });
});

describe('definition-of-done', () => {
  it('flags done parents with open children and done items without a resolution', () => {
    const epic = makeWorkItem({ nativeKey: 'E-1', typeCategory: 'epic', statusCategory: 'done', status: 'Done', resolvedAt: day(1) });
    checkRule(definitionOfDone, {
      valid: [
        { name: 'children done', items: [epic, makeWorkItem({ parentKey: epic.key, statusCategory: 'done', resolvedAt: day(2) })] },
        { name: 'open parent', items: [makeWorkItem({ nativeKey: 'E-2', typeCategory: 'epic' }), makeWorkItem({ parentKey: 'test:E-2' })] },
        { name: 'tasks not checked', items: [makeWorkItem({ typeCategory: 'task', statusCategory: 'done', resolvedAt: null })] },
      ],
      invalid: [
        { name: 'open children', items: [epic, makeWorkItem({ nativeKey: 'S-2', parentKey: epic.key }), makeWorkItem({ nativeKey: 'S-1', parentKey: epic.key, status: 'In Progress', statusCategory: 'in_progress' })], errors: [{ messageId: 'children', subject: 'test:E-1', data: { count: 2, children: 'S-1, S-2' } }] },
        { name: 'no resolution date', items: [makeWorkItem({ nativeKey: 'S-3', statusCategory: 'done', resolvedAt: null })], errors: [{ messageId: 'unresolved', subject: 'test:S-3' }] },
        { name: 'resolution field required', options: { resolutionFields: ['resolution'] }, items: [makeWorkItem({ nativeKey: 'S-4', statusCategory: 'done', resolvedAt: day(1), fields: { resolution: '' } })], errors: [{ messageId: 'unresolved', subject: 'test:S-4' }] },
      ],
    });
  });
});

describe('objective-link-required', () => {
  const objectives = [
    { id: 'O1', title: 'Grow', match: { epics: ['PAY-100'], labels: ['growth'] } },
    { id: 'O2', title: 'Checkout', match: { areaPaths: ['Fabrikam\\Checkout'] } },
  ];
  const epic = makeWorkItem({ nativeKey: 'PAY-100', typeCategory: 'epic' });
  const feature = makeWorkItem({ nativeKey: 'PAY-150', typeCategory: 'feature', parentKey: epic.key });
  const wip = (over: Partial<WorkItem>) => inProgress(over);

  it('maps work through labels, area paths and any ancestor', () => {
    checkRule(objectiveLinkRequired, {
      valid: [
        { name: 'label', objectives, items: [wip({ labels: ['growth'] })] },
        { name: 'epic key', objectives, items: [epic, wip({ epicKey: epic.key })] },
        { name: 'grand-parent epic', objectives, items: [epic, feature, wip({ parentKey: feature.key })] },
        { name: 'area path below', objectives, items: [wip({ fields: { 'System.AreaPath': 'Fabrikam\\Checkout\\Payments' } })] },
        { name: 'no objectives configured', items: [wip({})] },
        { name: 'to do not checked by default', objectives, items: [makeWorkItem({})] },
      ],
      invalid: [
        { name: 'no link', objectives, items: [wip({ nativeKey: 'PAY-1' })], errors: [{ messageId: 'unaligned', subject: 'test:PAY-1' }] },
        { name: 'unaligned epic', objectives, items: [makeWorkItem({ nativeKey: 'PAY-200', typeCategory: 'epic' }), wip({ nativeKey: 'PAY-2', epicKey: 'test:PAY-200' })], errors: [{ messageId: 'unaligned', subject: 'test:PAY-2' }] },
        { name: 'area path prefix is not a sibling', objectives, items: [wip({ nativeKey: '4711', fields: { 'System.AreaPath': 'Fabrikam\\CheckoutOld' } })], errors: [{ messageId: 'unaligned', subject: 'test:4711' }] },
        { name: 'cyclic hierarchy ends', objectives, items: [makeWorkItem({ nativeKey: 'F-1', typeCategory: 'feature', parentKey: 'test:F-2' }), makeWorkItem({ nativeKey: 'F-2', typeCategory: 'feature', parentKey: 'test:F-1' }), wip({ nativeKey: 'PAY-3', parentKey: 'test:F-1' })], errors: [{ messageId: 'unaligned', subject: 'test:PAY-3' }] },
      ],
    });
  });
});

describe('person-overallocated', () => {
  it('adds up in-progress and active-sprint work across sources by email', () => {
    const sprint = { id: '1', name: 'S1', state: 'active' as const, startDate: null, endDate: null };
    const items = [
      inProgress({ nativeKey: 'PAY-1', assignee: ada, estimate: 8 }),
      makeWorkItem({ nativeKey: 'PAY-2', assignee: ada, estimate: 8, sprint }),
      inProgress({ nativeKey: '4711', source: 'ado', key: 'ado:4711', project: 'Fabrikam', assignee: adaOnAdo, estimate: 5 }),
      makeWorkItem({ nativeKey: 'PAY-3', assignee: ada, estimate: 13 }), // backlog, not committed
    ];
    checkRule(personOverallocated, {
      valid: [{ name: 'at 21 points with a higher limit', options: { maxPoints: 21 }, items }],
      invalid: [{ name: '21 points over 20', items, errors: [{ messageId: 'over', subject: 'ada@acme.example', data: { points: 21, items: 3, projects: 'Fabrikam, PAY' } }] }],
    });
    const [report] = runRule(personOverallocated, { name: 'x', items, options: { maxItems: 2, maxPoints: 100 } });
    expect(report?.evidence).toMatchObject({ sources: ['ado', 'test'], keys: ['4711', 'PAY-1', 'PAY-2'] });
  });
});

describe('velocity-drop', () => {
  const closed = (n: number, end: string) => ({ id: `s${n}`, name: `PAY Sprint ${n}`, state: 'closed' as const, startDate: null, endDate: end });
  const delivered = (n: number, end: string, points: number) => makeWorkItem({ statusCategory: 'done', estimate: points, sprint: closed(n, end), resolvedAt: end });

  it("compares the last closed sprint with the team's average", () => {
    const before = [delivered(1, '2026-10-05T17:00:00.000Z', 20), delivered(2, '2026-10-19T17:00:00.000Z', 20), delivered(3, '2026-11-02T17:00:00.000Z', 20)];
    checkRule(velocityDrop, {
      valid: [
        { name: '30% drop (boundary)', items: [...before, delivered(4, '2026-11-16T17:00:00.000Z', 14)] },
        { name: 'not enough history', items: [...before.slice(1), delivered(4, '2026-11-16T17:00:00.000Z', 2)] },
      ],
      invalid: [
        { name: '50% drop', items: [...before, delivered(4, '2026-11-16T17:00:00.000Z', 10)], errors: [{ messageId: 'drop', subject: 'velocity:test:Payments', data: { last: 10, average: 20, percent: 50, sprint: 'PAY Sprint 4' } }] },
        { name: 'stricter', options: { maxDrop: 0.1 }, items: [...before, delivered(4, '2026-11-16T17:00:00.000Z', 16)], errors: [{ messageId: 'drop', subject: 'velocity:test:Payments', data: { percent: 20 } }] },
      ],
    });
  });
});

describe('zombie-project', () => {
  it('flags projects with open work and no completion for weeks', () => {
    const open = (project: string) => makeWorkItem({ project });
    const doneAt = (project: string, daysAgo: number) => makeWorkItem({ project, statusCategory: 'done', resolvedAt: day(daysAgo) });
    checkRule(zombieProject, {
      valid: [
        { name: 'recent completion', items: [open('OPS'), open('OPS'), open('OPS'), doneAt('OPS', 27)] },
        { name: 'too little open work', items: [open('OPS'), open('OPS'), doneAt('OPS', 90)] },
      ],
      invalid: [
        { name: 'nothing for 29 days', items: [open('OPS'), open('OPS'), open('OPS'), doneAt('OPS', 29)], errors: [{ messageId: 'zombie', subject: 'test:OPS', data: { open: 3, last: '2026-10-23' } }] },
        { name: 'never', options: { weeks: 1 }, items: [open('NEW'), open('NEW'), open('NEW')], errors: [{ messageId: 'zombie', subject: 'test:NEW', data: { last: 'never' } }] },
      ],
    });
  });
});
