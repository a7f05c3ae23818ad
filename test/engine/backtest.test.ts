import { describe, expect, it } from 'vitest';
import { builtInRules } from '../../rules/api.ts';
import { builtInPresets } from '../../rules/presets/api.ts';
import { itemAsOf, portfolioAsOf, sprintIndex, sprintStateAt } from '../../src/engine/as-of.ts';
import { backtest } from '../../src/engine/backtest.ts';
import { compileRulePlan } from '../../src/engine/rule-config.ts';
import { openStore } from '../../src/store/index.ts';
import { silentLogger } from '../../src/util/log.ts';
import { makeSprint, makeWorkItem } from '../helpers/builders.ts';

const s1 = makeSprint({ key: 'test:11', id: '11', name: 'PAY Sprint 1', state: 'closed', startDate: '2026-10-05T08:00:00.000Z', endDate: '2026-10-19T08:00:00.000Z', completeDate: '2026-10-19T09:00:00.000Z' });
const s2 = makeSprint({ key: 'test:12', id: '12', name: 'PAY Sprint 2', state: 'active', startDate: '2026-10-19T08:00:00.000Z', endDate: '2026-11-30T08:00:00.000Z', completeDate: null });
const ada = { id: 'u1', name: 'Ada', email: 'ada@acme.example' };

/** Created 1 Oct, started 6 Oct in sprint 1, carried to sprint 2, estimated and reassigned on 3 Nov, done 15 Nov. */
const story = makeWorkItem({
  nativeKey: 'PAY-7',
  createdAt: '2026-10-01T09:00:00.000Z',
  updatedAt: '2026-11-15T09:00:00.000Z',
  status: 'Done',
  statusCategory: 'done',
  startedAt: '2026-10-06T09:00:00.000Z',
  resolvedAt: '2026-11-15T09:00:00.000Z',
  estimate: 5,
  assignee: ada,
  labels: ['growth', 'web'],
  sprint: { id: '12', name: 'PAY Sprint 2', state: 'active', startDate: s2.startDate, endDate: s2.endDate },
  transitions: [
    { at: '2026-10-06T09:00:00.000Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress', by: 'u1' },
    { at: '2026-11-15T09:00:00.000Z', from: 'In Progress', to: 'Done', fromCategory: 'in_progress', toCategory: 'done', by: 'u1' },
  ],
  history: [
    { at: '2026-10-04T09:00:00.000Z', field: 'sprint', from: null, to: '11', by: 'lead' },
    { at: '2026-10-19T09:00:00.000Z', field: 'sprint', from: '11', to: '11, 12', by: 'lead' },
    { at: '2026-11-03T09:00:00.000Z', field: 'estimate', from: null, to: '5', by: 'u1' },
    { at: '2026-11-03T09:00:00.000Z', field: 'assignee', from: 'Bo', to: 'Ada', by: 'lead' },
    { at: '2026-11-03T09:00:00.000Z', field: 'labels', from: 'growth', to: 'growth web', by: 'u1' },
  ],
});

describe('the portfolio as it stood', () => {
  const index = (at: string) => sprintIndex([s1, s2], at);

  it('does not exist before it was created', () => {
    expect(itemAsOf(story, '2026-09-30T00:00:00.000Z', index('2026-09-30T00:00:00.000Z'))).toBeUndefined();
  });

  it('before any transition: the first transition\'s from-status, no estimate yet, in the sprint it was planned into', () => {
    const at = '2026-10-05T12:00:00.000Z';
    const then = itemAsOf(story, at, index(at))!;

    expect(then).toMatchObject({ status: 'To Do', statusCategory: 'todo', startedAt: null, resolvedAt: null, estimate: null, labels: ['growth'], transitions: [] });
    expect(then.assignee).toEqual({ id: 'Bo', name: 'Bo', email: null });
    const bo = { id: 'u2', name: 'Bo', email: 'bo@acme.example' };
    expect(itemAsOf(story, at, index(at), (v) => (v === 'Bo' ? bo : undefined))!.assignee).toEqual(bo);
    expect(then.sprint).toEqual({ id: '11', name: 'PAY Sprint 1', state: 'active', startDate: s1.startDate, endDate: s1.endDate });
    expect(then.history.map((h) => h.field)).toEqual(['sprint']);
    expect(then.updatedAt).toBe('2026-10-04T09:00:00.000Z');
  });

  it('mid-way: in progress in the second sprint (the last a Jira sprint list names), first sprint closed', () => {
    const at = '2026-10-25T00:00:00.000Z';
    const then = itemAsOf(story, at, index(at))!;

    expect(then).toMatchObject({ status: 'In Progress', statusCategory: 'in_progress', startedAt: '2026-10-06T09:00:00.000Z', resolvedAt: null, estimate: null });
    expect(then.sprint?.id).toBe('12');
    expect(index(at).byKey.get('test:11')).toMatchObject({ state: 'closed', completeDate: '2026-10-19T09:00:00.000Z' });
  });

  it('now: the stored item, unchanged', () => {
    const at = '2026-11-21T09:00:00.000Z';
    const then = itemAsOf(story, at, index(at))!;

    expect({ ...then, sprint: null }).toEqual({ ...story, sprint: null });
    expect(then.sprint).toMatchObject({ id: '12', state: 'active' });
  });

  it('sprint state from dates', () => {
    expect(sprintStateAt(s2, '2026-10-18T00:00:00.000Z')).toBe('future');
    expect(sprintStateAt(s2, '2026-10-20T00:00:00.000Z')).toBe('active');
    expect(sprintStateAt(s1, '2026-10-20T00:00:00.000Z')).toBe('closed');
    expect(sprintStateAt({ ...s1, startDate: null, endDate: null, completeDate: null, state: 'future' }, '2026-10-20T00:00:00.000Z')).toBe('future');
  });
});

describe('rules backtest', () => {
  it('a person named in history is the stored person with that name, email included', () => {
    const store = openStore(':memory:');
    const bo = { id: 'u2', name: 'Bo', email: 'bo@acme.example' };
    store.transaction(() => store.items.upsert([story, makeWorkItem({ nativeKey: 'PAY-20', assignee: bo })], '2026-11-20T00:00:00.000Z'));

    expect(portfolioAsOf(store, '2026-10-05T12:00:00.000Z').item('test:PAY-7')?.assignee).toEqual(bo);
    expect(portfolioAsOf(store, '2026-11-05T12:00:00.000Z').item('test:PAY-7')?.assignee).toEqual(ada);
  });

  it('counts, week by week, what each rule would have raised, and records nothing', () => {
    const store = openStore(':memory:');
    const later = makeWorkItem({ nativeKey: 'PAY-8', createdAt: '2026-11-10T09:00:00.000Z', estimate: null, assignee: ada });
    const removed = makeWorkItem({ nativeKey: 'PAY-9', createdAt: '2026-10-01T09:00:00.000Z', estimate: null, assignee: ada });
    store.transaction(() => {
      store.items.upsert([story, later, removed], '2026-11-20T00:00:00.000Z');
      store.items.upsertSprints([s1, s2]);
      store.items.markRemoved('test', ['PAY-9'], '2026-11-12T00:00:00.000Z');
    });
    const plan = compileRulePlan(builtInRules, { extends: [], rules: { 'estimate-required': 'warning' } }, builtInPresets);

    const report = backtest(store, { plan, typeMapping: [], objectives: [], waivers: [] }, { weeks: 4, now: new Date('2026-11-21T09:00:00.000Z'), timezone: 'UTC', log: silentLogger() });

    expect(report.weeks.map((w) => [w.at.slice(0, 10), w.items, w.findings])).toEqual([
      ['2026-10-31', 2, 2], // PAY-7 (estimated on 3 Nov) and PAY-9
      ['2026-11-07', 2, 1], // PAY-9
      ['2026-11-14', 2, 1], // PAY-8 (created 10 Nov); PAY-9 removed on 12 Nov
      ['2026-11-21', 2, 1],
    ]);
    expect(report.rules).toEqual([{ ruleId: 'estimate-required', category: 'compliance', counts: [2, 1, 1, 1], opened: [0, 0, 1, 0], mean: 1.3, max: 2 }]);
    expect(report.weeks[0]!.bySeverity).toEqual({ critical: 0, warning: 2, info: 0 });
    expect(store.findings.count()).toBe(0);
    expect(store.db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
  });
});
