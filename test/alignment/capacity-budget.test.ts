import { describe, expect, it } from 'vitest';
import { alignmentReport, analyse } from '../../src/alignment/report.ts';
import { computeCapacity } from '../../src/alignment/capacity.ts';
import { inProgress, makeSprint } from '../helpers/builders.ts';
import { NOW, alignmentConfig, daysAgo, doneItem } from './helpers.ts';

describe('budget: team-weeks split over objectives by completed points, else in-progress days', () => {
  it('matches a hand-computed two-week, two-team case', () => {
    const items = [
      doneItem('A-1', 10, { team: 'A', labels: ['o1'], estimate: 3 }),
      doneItem('A-2', 9, { team: 'A', labels: ['o2'], estimate: 1 }),
      inProgress({ nativeKey: 'B-1', team: 'B', labels: ['o2'], startedAt: daysAgo(14), transitions: [{ at: daysAgo(14), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress', by: null }] }),
      doneItem('B-2', 2, { team: 'B', labels: ['o1'], estimate: 2 }),
    ];
    const config = alignmentConfig({
      objectives: [
        { id: 'O1', title: 'one', budget: 5000, targetDate: '2026-12-18', match: { labels: ['o1'] } },
        { id: 'O2', title: 'two', match: { labels: ['o2'] } },
      ],
      alignment: { budget: { costPerTeamWeek: 1000, teams: { B: 2000 }, since: '2026-11-07' } },
    });

    const report = alignmentReport(analyse(items, [], config, new Date('2026-11-21T00:00:00.000Z')));

    // Week 1: A 1000 → O1 ¾ (3 of 4 points), O2 ¼; B 2000 → O2 (in progress only). Week 2: A idle
    // (unattributed); B 2000 → O1 (its 2 points).
    expect(report.objectives[0]!.budget).toEqual({ currency: 'EUR', budget: 5000, since: '2026-11-07', spent: 2750, perWeek: 1375, remaining: 2250, projectedAtTarget: 2750 + 1375 * 4, overBudget: true });
    expect(report.objectives[1]!.budget).toMatchObject({ spent: 2250, budget: null, remaining: null, overBudget: null });
  });
});

describe('capacity: per person across tools (merged by email, aliases from config) and per team', () => {
  it('computes WIP, sprint commitment, velocity and load', () => {
    const sprint = makeSprint({ source: 'jira', id: 's1', key: 'jira:sprint-s1', state: 'active', startDate: daysAgo(7), endDate: new Date(NOW.getTime() + 7 * 86_400_000).toISOString() });
    const ref = { id: 's1', name: 'S1', state: 'active' as const, startDate: null, endDate: null };
    const items = [
      inProgress({ source: 'jira', nativeKey: 'J-1', estimate: 3, sprint: ref, assignee: { id: 'j-ada', name: 'Ada', email: 'ADA@acme.example' } }),
      doneItem('D-1', 14, { source: 'ado', team: 'ERP', estimate: 6, assignee: { id: 'guid-ada', name: 'Ada L.', email: 'ada@acme.example' } }),
      inProgress({ source: 'jira', nativeKey: 'J-2', estimate: 2, assignee: { id: 'vendor-1', name: 'Tom', email: null } }),
    ];
    const config = alignmentConfig({ alignment: { identities: { 'id:vendor-1': 'tom@northwind.example' } } });
    const a = analyse(items, [sprint], config, NOW);

    const c = computeCapacity(a.portfolio.items, [sprint], a.now, config.alignment.capacity);

    expect(c.people.find((p) => p.key === 'ada@acme.example')).toEqual({
      key: 'ada@acme.example',
      name: 'Ada',
      teams: ['ERP', 'Payments'],
      sources: ['ado', 'jira'],
      wip: 1,
      committedPoints: 3,
      velocityPerWeek: 1,
      sprintCapacity: 2,
      load: 1.5,
      overCommitted: true,
    });
    expect(c.people.find((p) => p.key === 'tom@northwind.example')).toMatchObject({ wip: 1, committedPoints: 0, load: null, overCommitted: false });
    expect(c.teams.map((t) => [t.key, t.wip])).toEqual([
      ['Payments', 2],
      ['ERP', 0],
    ]);
  });
});
