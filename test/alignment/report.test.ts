import { describe, expect, it } from 'vitest';
import { computeKpis } from '../../src/alignment/kpis.ts';
import { analyse, alignmentReport, epicForecasts } from '../../src/alignment/report.ts';
import { kpiReport } from '../../src/alignment/snapshots.ts';
import { openStore } from '../../src/store/index.ts';
import { makeSprint, makeWorkItem, inProgress } from '../helpers/builders.ts';
import { DAY, NOW, alignmentConfig, daysAgo, doneItem, epic } from './helpers.ts';

const objectives = [
  { id: 'O1', title: 'Growth', targetShare: 0.5, match: { epics: ['E-1'] } },
  { id: 'O2', title: 'Audit', targetShare: 0.3, match: { labels: ['compliance'] } },
];

// Window = the last 28 days. Hand-computed: done in window O1 3+5 = 8 points, O2 2 points,
// unaligned 10 points → total 20; in-progress days: O1 4+4, O2 4 + 6 (open since 6 days), unaligned 4.
const items = () => [
  epic('E-1'),
  doneItem('A-1', 3, { parentKey: 'test:E-1', estimate: 3 }),
  doneItem('A-2', 10, { parentKey: 'test:E-1', estimate: 5 }),
  doneItem('A-3', 40, { parentKey: 'test:E-1', estimate: 13 }), // before the window
  doneItem('B-1', 5, { labels: ['compliance'], estimate: 2 }),
  inProgress({ nativeKey: 'B-2', labels: ['compliance'], estimate: 8, startedAt: daysAgo(6), transitions: [{ at: daysAgo(6), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress', by: null }] }),
  doneItem('U-1', 1, { estimate: 10 }),
  makeWorkItem({ nativeKey: 'A-4', parentKey: 'test:E-1', estimate: 8, createdAt: daysAgo(2) }),
];

describe('allocation, progress and the alignment JSON contract', () => {
  it('allocates window effort by points, items and in-progress days, with the unaligned share and drift', () => {
    const report = alignmentReport(analyse(items(), [], alignmentConfig({ objectives }), NOW));

    const [o1, o2] = report.objectives;
    expect(report.window).toEqual({ from: '2026-10-24', to: '2026-11-21', days: 28 });
    expect(report.total).toEqual({ points: 20, items: 4, inProgressDays: 22 });
    expect(o1).toMatchObject({ id: 'O1', share: 0.4, points: 8, items: 2, inProgressDays: 8, drift: -0.1, drifting: false });
    expect(o2).toMatchObject({ id: 'O2', share: 0.1, points: 2, items: 1, inProgressDays: 10, drift: -0.2, drifting: true });
    expect(report.unaligned).toMatchObject({ share: 0.5, points: 10, items: 1, inProgressDays: 4 });
    expect(o1!.shares).toEqual({ points: 0.4, items: 0.5, inProgressDays: 0.3636 });
    expect(report.teams).toEqual([
      {
        name: 'Payments',
        total: { points: 20, items: 4, inProgressDays: 22 },
        objectives: { O1: expect.objectContaining({ share: 0.4 }), O2: expect.objectContaining({ share: 0.1 }) },
        unaligned: expect.objectContaining({ share: 0.5, points: 10 }),
      },
    ]);
  });

  it('allocates by theme and counts an empty window as share 0 (shares null)', () => {
    const themed = alignmentConfig({
      objectives: [{ ...objectives[0], theme: 'growth' }, objectives[1]],
      themes: [{ id: 'growth', title: 'Growth', targetShare: 0.6 }, { id: 'audit', title: 'Audit', match: { labels: ['compliance'] } }],
    });

    const report = alignmentReport(analyse(items(), [], themed, NOW));
    const empty = alignmentReport(analyse([epic('E-1')], [], themed, NOW));

    expect(report.themes.map((t) => [t.id, t.share, t.points, t.drift])).toEqual([
      ['growth', 0.4, 8, -0.2],
      ['audit', 0.1, 2, null],
    ]);
    expect(report.unthemed).toMatchObject({ share: 0.5, points: 10 });
    expect(empty.objectives[0]).toMatchObject({ share: 0, shares: { points: null, items: null, inProgressDays: null }, drift: null });
    expect(empty.unaligned.share).toBe(0);
  });

  it('forecasts every open epic against its due date', () => {
    const history = Array.from({ length: 12 }, (_, w) => doneItem(`H-${w}`, w * 7 + 1, { createdAt: '2026-01-01T00:00:00.000Z', parentKey: 'test:E-9' }));
    const list = [
      epic('E-9', { dueDate: '2026-12-31', labels: ['growth'], createdAt: '2026-01-01T00:00:00.000Z' }),
      ...history,
      ...Array.from({ length: 4 }, (_, i) => makeWorkItem({ nativeKey: `R-${i}`, parentKey: 'test:E-9', createdAt: '2026-01-01T00:00:00.000Z' })),
      epic('E-done', { status: 'Done', statusCategory: 'done' }),
    ];
    const a = analyse(list, [], alignmentConfig({ objectives: [{ id: 'O1', title: 'g', match: { labels: ['growth'] } }] }), NOW);

    const forecasts = epicForecasts(a);

    expect(forecasts).toHaveLength(1);
    expect(forecasts[0]).toMatchObject({
      key: 'test:E-9',
      objective: 'O1',
      dueDate: '2026-12-31',
      progress: { done: 12, total: 16 },
      forecast: { status: 'forecast', remaining: 4, p50: '2026-12-19', p95: '2026-12-19', probabilityByTarget: 1, lowConfidence: false },
    });
  });

  it('progress counts done vs total scope and scope added in the window; the burn-up ends today', () => {
    const report = alignmentReport(analyse(items(), [], alignmentConfig({ objectives, alignment: { burnupWeeks: 3 } }), NOW));

    const o1 = report.objectives[0]!;
    expect(o1.progress).toMatchObject({ done: 3, total: 4, items: { done: 3, total: 4 }, points: { done: 21, total: 29 }, scopeAdded: { items: 3, points: 16 } });
    expect(o1.burnup).toEqual([
      { week: '2026-11-07', done: 1, total: 2, donePoints: 13, totalPoints: 18 },
      { week: '2026-11-14', done: 2, total: 3, donePoints: 18, totalPoints: 21 },
      { week: '2026-11-21', done: 3, total: 4, donePoints: 21, totalPoints: 29 },
    ]);
    expect(Object.keys(o1.forecast)).toEqual(expect.arrayContaining(['p50', 'p85', 'p95', 'probabilityByTarget']));
  });

  it('key results count the objective\'s items that meet their own match, against their target', () => {
    const config = alignmentConfig({
      objectives: [{ ...objectives[0], keyResults: [{ id: 'KR1', title: 'big ones', match: { cel: 'item.estimate >= 5.0' }, target: { points: 36 } }] }],
    });

    const kr = alignmentReport(analyse(items(), [], config, NOW)).objectives[0]!.keyResults[0]!;

    expect(kr.progress).toMatchObject({ done: 2, total: 3, points: { done: 18, total: 26 }, fraction: 0.5, scopeAdded: { items: 2, points: 13 } });
    expect(kr.burnup.at(-1)).toEqual({ week: '2026-11-21', done: 2, total: 3, donePoints: 18, totalPoints: 26 });
  });

  it('warns about objectives that match nothing', () => {
    const config = alignmentConfig({ objectives: [...objectives, { id: 'O3', title: 'Ghost', match: { labels: ['nope'] } }] });

    expect(alignmentReport(analyse(items(), [], config, NOW)).warnings).toContain('objective O3 ("Ghost") matches no stored work item; check its match');
  });
});

describe('KPIs', () => {
  it('computes each KPI on a hand-computed fixture', () => {
    const list = [
      doneItem('K-1', 2, { estimate: 3, dueDate: '2026-11-30' }), // cycle 4 d, lead 10 d, on time
      doneItem('K-2', 9, { estimate: 5, dueDate: '2026-11-01' }), // late
      doneItem('K-3', 20, { estimate: 2, createdAt: daysAgo(40), labels: ['compliance'] }), // cycle 4, lead 20
      inProgress({ nativeKey: 'K-4', blocked: true, startedAt: daysAgo(10), transitions: [{ at: daysAgo(10), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress', by: null }] }),
    ];
    const config = alignmentConfig({ objectives });
    const a = analyse(list, [], config, NOW);

    const k = computeKpis({ items: a.portfolio.items, objective: a.mapping.objective, sprints: [], asOf: NOW.getTime(), windowDays: 28, timezone: 'UTC', measure: 'points', nonCompliant: new Set(['test:K-4']) });

    expect(k.overall).toEqual({
      throughput: 1,
      throughputPoints: 3,
      cycleTimeP50: 4,
      cycleTimeP85: 4,
      leadTimeP50: 10,
      leadTimeP85: 20,
      predictability: null,
      onTimeRate: 0.5,
      blockedShare: round(10 / 22),
      compliance: 0,
      alignment: 0.2,
    });
  });

  it('sprint predictability: completed vs committed points of sprints that ended in the window', () => {
    const sprint = makeSprint({ id: 's1', key: 'test:sprint-s1', name: 'PAY Sprint 1', state: 'closed', startDate: daysAgo(16), endDate: daysAgo(2), completeDate: daysAgo(2) });
    const moveIn = (at: string) => [{ at, field: 'sprint', from: null, to: 'PAY Sprint 1', by: null }];
    const list = [
      doneItem('P-1', 5, { estimate: 5, history: moveIn(daysAgo(17)) }),
      makeWorkItem({ nativeKey: 'P-2', estimate: 3, history: moveIn(daysAgo(17)) }),
      doneItem('P-3', 4, { estimate: 8, history: moveIn(daysAgo(10)) }), // added after the start: not committed
    ];
    const a = analyse(list, [sprint], alignmentConfig(), NOW);

    const k = computeKpis({ items: a.portfolio.items, objective: a.mapping.objective, sprints: [sprint], asOf: NOW.getTime(), windowDays: 28, timezone: 'UTC', measure: 'points', nonCompliant: null });

    expect(k.overall.predictability).toBe(0.625);
    expect(k.teams.get('Payments')?.predictability).toBe(0.625);
    expect(k.overall.compliance).toBeNull();
  });

  it('snapshots: back-fills earlier weeks once, rewrites the current week, and gives week-over-week deltas', () => {
    const store = openStore(':memory:');
    const config = alignmentConfig({ objectives });
    const weekly = Array.from({ length: 10 }, (_, w) => doneItem(`W-${w}`, w * 7 + 1, { createdAt: daysAgo(100) }));

    const first = kpiReport(analyse(weekly, [], config, NOW), store.db, { nonCompliant: new Set() });
    const nextWeek = new Date(NOW.getTime() + 7 * DAY);
    const more = [...weekly, doneItem('W-new', -5, { createdAt: daysAgo(100) }), doneItem('W-new2', -6, { createdAt: daysAgo(100) })];
    const second = kpiReport(analyse(more, [], config, nextWeek), store.db, { nonCompliant: new Set() });

    expect(first.week).toBe('2026-11-16');
    expect(first.overall.throughput.trend).toHaveLength(12);
    expect(first.overall.throughput.trend.slice(-1)[0]).toEqual({ week: '2026-11-16', value: 1, origin: 'live' });
    expect(first.overall.throughput.trend[0]!.origin).toBe('backfill');
    expect(second.week).toBe('2026-11-23');
    expect(second.overall.throughput).toMatchObject({ value: 2, previous: 1, delta: 1 });
    expect(second.overall.compliance.previous).toBe(null);
    const rows = store.db.prepare("SELECT count(*) FROM kpi_snapshots WHERE scope = 'overall' AND kpi = 'throughput'").pluck().get();
    expect(rows).toBe(13);
    store.close();
  });
});

function round(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
