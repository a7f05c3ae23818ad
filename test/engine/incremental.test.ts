import { describe, expect, it } from 'vitest';
import { builtInRules } from '../../rules/api.ts';
import { builtInPresets } from '../../rules/presets/api.ts';
import { createEvaluatorState, evaluate } from '../../src/engine/evaluate.ts';
import { compileRulePlan } from '../../src/engine/rule-config.ts';
import { defineRule, type AnyRule } from '../../src/engine/rule.ts';
import { z } from 'zod';
import { openStore } from '../../src/store/index.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';
import type { Sprint, WorkItem } from '../../src/model/work-item.ts';
import { inProgress, makeSprint, makeWorkItem } from '../helpers/builders.ts';

const ada = { id: 'u1', name: 'Ada Lovelace', email: 'ada@acme.example' };
const plan = compileRulePlan(builtInRules, { extends: ['recommended'], rules: { 'wip-limit': ['warning', { perPerson: 2 }] } }, builtInPresets);

function setup() {
  const store = openStore(':memory:');
  const state = createEvaluatorState();
  const put = (items: WorkItem[], at: string) => store.transaction(() => store.items.upsert(items, at));
  const run = (at: string, options: { full?: boolean; withState?: boolean } = {}) =>
    evaluate({ store, plan, clock: fixedClock(at), timezone: 'UTC', log: silentLogger(), ...(options.withState === false ? {} : { state }), full: options.full ?? false });
  const open = () => store.findings.list({ state: 'open' }).map((f) => `${f.ruleId} ${f.subject.key} ${f.message}`).sort();
  return { store, state, put, run, open };
}

/** A fresh store evaluated in full: what an incremental run must agree with. */
function fullReference(items: WorkItem[], at: string): string[] {
  const { put, run, open } = setup();
  put(items, '2026-11-01T00:00:00.000Z');
  run(at, { withState: false });
  return open();
}

describe('incremental evaluation', () => {
  const portfolio = (): WorkItem[] => [
    makeWorkItem({ nativeKey: 'PAY-1', estimate: null }),
    makeWorkItem({ nativeKey: 'PAY-2' }),
    inProgress({ nativeKey: 'PAY-3', assignee: ada }),
    inProgress({ nativeKey: 'PAY-4', assignee: ada }),
    makeWorkItem({ nativeKey: 'PAY-5', dueDate: '2026-11-23' }),
  ];

  it('re-reads only changed items, keeps the findings of the others, and agrees with a full run', () => {
    const { put, run, open } = setup();
    const items = portfolio();
    put(items, '2026-11-21T08:00:00.000Z');
    const first = run('2026-11-21T09:00:00.000Z');

    const changed: WorkItem = { ...items[1]!, status: 'In Progress', statusCategory: 'in_progress', assignee: ada }; // PAY-2 starts: Ada now holds 3
    put([changed], '2026-11-21T09:30:00.000Z');
    const second = run('2026-11-21T10:00:00.000Z');

    expect(first).toMatchObject({ mode: 'full', items: 5 });
    expect(second).toMatchObject({ mode: 'incremental', items: 1, findings: { opened: 1, resolved: 0 } });
    const after = [items[0]!, changed, items[2]!, items[3]!, items[4]!];
    expect(open()).toEqual(fullReference(after, '2026-11-21T10:00:00.000Z'));
    expect(open()).toEqual(expect.arrayContaining([expect.stringMatching(/^wip-limit ada@acme.example Ada Lovelace has 3 items in progress/), expect.stringMatching(/^estimate-required test:PAY-1/)]));
  });

  it('resolves the findings of a fixed item and of aggregates that no longer hold', () => {
    const { put, run, open } = setup();
    const items = portfolio();
    put([...items, inProgress({ nativeKey: 'PAY-6', assignee: ada })], '2026-11-21T08:00:00.000Z');
    run('2026-11-21T09:00:00.000Z');
    expect(open().filter((f) => f.startsWith('wip-limit'))).toHaveLength(1);

    put([{ ...items[0]!, estimate: 2 }, { ...items[2]!, status: 'Done', statusCategory: 'done', resolvedAt: '2026-11-21T09:15:00.000Z' }], '2026-11-21T09:30:00.000Z');
    const second = run('2026-11-21T10:00:00.000Z');

    // The estimate now given, Ada back under her limit, and the project delivering again.
    expect(second).toMatchObject({ mode: 'incremental', items: 2, findings: { resolved: 3 } });
    expect(open().some((f) => /^(wip-limit|estimate-required|zombie-project)/.test(f))).toBe(false);
  });

  it('re-checks unchanged items when the clock may have changed their verdict', () => {
    const { put, run, open } = setup();
    put(portfolio(), '2026-11-21T08:00:00.000Z');
    run('2026-11-21T09:00:00.000Z');
    expect(open().some((f) => f.startsWith('overdue'))).toBe(false);

    const nextMorning = run('2026-11-22T09:00:00.000Z'); // PAY-5 due 11-23 enters due-soon… it was already soon
    const twoDaysLater = run('2026-11-24T09:00:00.000Z');

    expect(nextMorning.mode).toBe('incremental');
    // PAY-5 (due date passed) and PAY-3/PAY-4 (five days without movement) are due a re-check; PAY-1/2 are not.
    expect(twoDaysLater).toMatchObject({ mode: 'incremental', items: 3 });
    expect(open()).toContain('stale-in-progress test:PAY-3 PAY-3 "Story PAY-3" has not moved for 5 days (limit 5)'); // last update 11-19
    expect(open()).toEqual(fullReference(portfolio(), '2026-11-24T09:00:00.000Z'));
    expect(open()).toContain('overdue test:PAY-5 PAY-5 "Story PAY-5" was due 2026-11-23 and is 1 day overdue (To Do)');
  });

  it('forgets removed items, and runs in full after a config change or when asked', () => {
    const { store, put, run, open, state } = setup();
    put(portfolio(), '2026-11-21T08:00:00.000Z');
    run('2026-11-21T09:00:00.000Z');

    store.transaction(() => store.items.markRemoved('test', ['PAY-1', 'PAY-3'], '2026-11-21T09:30:00.000Z'));
    const second = run('2026-11-21T10:00:00.000Z');
    state.plan = null;
    const third = run('2026-11-21T11:00:00.000Z');
    const fourth = run('2026-11-21T12:00:00.000Z', { full: true });

    expect(second).toMatchObject({ mode: 'incremental', items: 0 });
    expect(open().some((f) => f.includes('PAY-1') || f.startsWith('wip-limit'))).toBe(false);
    expect(third.mode).toBe('full');
    expect(fourth.mode).toBe('full');
    expect(third.findings.resolved + fourth.findings.resolved).toBe(0);
  });

  it('evaluates in full again a week after the last full run, and keeps every finding', () => {
    const { put, run, open } = setup();
    put(portfolio(), '2026-11-21T08:00:00.000Z');
    const first = run('2026-11-21T09:00:00.000Z');
    const before = open();
    const sixDaysOn = run('2026-11-27T08:59:00.000Z');
    const weekOn = run('2026-11-28T09:00:00.000Z');
    const after = run('2026-11-28T10:00:00.000Z');

    expect([first.mode, sixDaysOn.mode, weekOn.mode, after.mode]).toEqual(['full', 'incremental', 'full', 'incremental']);
    expect(weekOn.items).toBe(5);
    expect(open()).toEqual(fullReference(portfolio(), '2026-11-28T10:00:00.000Z'));
    expect(before.length).toBeGreaterThan(0);
  });

  it('ends a snooze on time even when its item never changes', () => {
    const { store, put, run } = setup();
    put(portfolio(), '2026-11-21T08:00:00.000Z');
    run('2026-11-21T09:00:00.000Z');
    const id = store.findings.list({ ruleId: 'estimate-required' })[0]!.id;
    store.findings.setState(id, { state: 'snoozed', actor: 'U1', reason: 'after the offsite', until: '2026-11-21T12:00:00.000Z' }, '2026-11-21T09:30:00.000Z');

    const before = run('2026-11-21T11:00:00.000Z');
    const stateBefore = store.findings.get(id)?.state;
    const after = run('2026-11-21T13:00:00.000Z');

    expect([before.mode, after.mode]).toEqual(['incremental', 'incremental']);
    expect(stateBefore).toBe('snoozed');
    expect(store.findings.get(id)?.state).toBe('open');
    expect(store.findings.events(id).at(-1)).toMatchObject({ type: 'unsnoozed', reason: 'snooze expired' });
  });

  it('resolves an aggregate rule error once the rule works again', () => {
    let broken = true;
    const flaky = defineRule({
      meta: { ...builtInRules[0]!.meta, id: 'flaky', options: z.strictObject({}), messages: { x: '{{n}}' } },
      create: () => ({
        collect: (item: WorkItem) => item.key,
        done: () => {
          if (broken) throw new Error('upstream down');
        },
      }),
    });
    const flakyPlan = compileRulePlan([flaky as unknown as AnyRule], { extends: [], rules: { flaky: 'warning' } }, builtInPresets);
    const store = openStore(':memory:');
    const state = createEvaluatorState();
    const run = (at: string) => evaluate({ store, plan: flakyPlan, clock: fixedClock(at), timezone: 'UTC', log: silentLogger(), state });
    store.transaction(() => store.items.upsert([makeWorkItem({ nativeKey: 'PAY-1' })], '2026-11-21T08:00:00.000Z'));

    run('2026-11-21T09:00:00.000Z');
    const during = store.findings.list({ state: 'open' }).map((f) => [f.ruleId, f.subject.key]);
    broken = false;
    const fixed = run('2026-11-21T10:00:00.000Z');

    expect(during).toEqual([['rule-error', '(all: flaky)']]);
    expect(fixed).toMatchObject({ mode: 'incremental', findings: { resolved: 1, open: 0 } });
  });
});

describe('incremental evaluation of sprint rules', () => {
  const scrum = compileRulePlan(builtInRules, { extends: ['scrum'] }, builtInPresets);
  const sprint = (id: string, overrides: Partial<Sprint> = {}): Sprint => makeSprint({ key: `test:${id}`, id, name: `PAY ${id}`, ...overrides });
  const start = (): Sprint[] => [
    sprint('s1', { goal: null }), // no goal
    sprint('s2', { startDate: '2026-11-02T08:00:00.000Z', endDate: '2026-12-14T17:00:00.000Z' }), // 42 days
    sprint('s3', { state: 'closed', goal: null, completeDate: '2026-11-13T17:00:00.000Z' }), // closed: not checked
  ];

  function scrumSetup(p = scrum) {
    const store = openStore(':memory:');
    const state = createEvaluatorState();
    const sync = (sprints: Sprint[], at: string) =>
      store.transaction(() => {
        store.items.upsert([makeWorkItem({ nativeKey: 'PAY-1', sprint: { id: 's1', name: 'PAY s1', state: 'active', startDate: null, endDate: null } })], at);
        store.items.upsertSprints(sprints);
      });
    const run = (at: string, withState = true) => evaluate({ store, plan: p, clock: fixedClock(at), timezone: 'UTC', log: silentLogger(), ...(withState ? { state } : {}) });
    const open = () => store.findings.list({ state: 'open' }).filter((f) => f.subject.kind === 'sprint').map((f) => `${f.ruleId} ${f.subject.key} ${f.message}`).sort();
    return { store, sync, run, open };
  }

  it('re-judges only the sprints a sync added or changed, and agrees with a full run', () => {
    const { store, sync, run, open } = scrumSetup();
    sync(start(), '2026-11-21T08:00:00.000Z');
    const first = run('2026-11-21T09:00:00.000Z');
    const before = open();
    const markBefore = store.items.sprintMark();

    // The next sync sends every sprint again: s1 got its goal, s4 is new without dates, s2 and s3 are as they were.
    const next = [sprint('s1'), start()[1]!, start()[2]!, sprint('s4', { startDate: null, endDate: null, goal: null })];
    sync(next, '2026-11-21T09:30:00.000Z');
    const second = run('2026-11-21T10:00:00.000Z');

    const reference = scrumSetup();
    reference.sync(next, '2026-11-21T08:00:00.000Z');
    reference.run('2026-11-21T10:00:00.000Z', false);

    expect(first).toMatchObject({ mode: 'full', sprints: 3 });
    expect(before).toEqual([
      'max-sprint-length test:s2 Sprint "PAY s2" runs 42 days (at most 28)',
      'sprint-goal-set test:s1 Sprint "PAY s1" (active) has no sprint goal',
    ]);
    expect(store.items.sprintsChangedSince(markBefore).map((s) => s.key)).toEqual(['test:s4', 'test:s1']); // in start-date order, undated first
    expect(second).toMatchObject({ mode: 'incremental', sprints: 2, findings: { resolved: 1 } });
    expect(open()).toEqual(reference.open());
    expect(open()).toEqual([
      'max-sprint-length test:s2 Sprint "PAY s2" runs 42 days (at most 28)',
      'sprint-dates-set test:s4 Sprint "PAY s4" (active) has no start date and end date',
      'sprint-goal-set test:s4 Sprint "PAY s4" (active) has no sprint goal',
    ]);
  });

  it('judges every sprint again after a sprint rule failed, until it works again', () => {
    let broken = true;
    const picky = defineRule({
      meta: { ...builtInRules[0]!.meta, id: 'picky', options: z.strictObject({}), messages: { x: '{{n}}' } },
      create: () => ({
        sprint: (s: Sprint) => {
          if (broken && s.id === 's3') throw new Error('cannot read the board');
        },
      }),
    });
    const pickyPlan = compileRulePlan([...builtInRules, picky as unknown as AnyRule], { extends: ['scrum'], rules: { picky: 'warning' } }, builtInPresets);
    const { sync, run, open } = scrumSetup(pickyPlan);
    sync(start(), '2026-11-21T08:00:00.000Z');

    run('2026-11-21T09:00:00.000Z');
    const during = run('2026-11-21T10:00:00.000Z'); // nothing changed: every sprint anyway, and s3 fails again
    const errorsDuring = open().filter((f) => f.startsWith('rule-error'));
    broken = false;
    const fixed = run('2026-11-21T11:00:00.000Z');
    const after = run('2026-11-21T12:00:00.000Z');

    expect(during).toMatchObject({ mode: 'incremental', sprints: 3, ruleErrors: 1 });
    expect(errorsDuring).toEqual(['rule-error test:s3 rule picky failed on test:s3: cannot read the board']);
    expect(fixed).toMatchObject({ mode: 'incremental', sprints: 3, ruleErrors: 0, findings: { resolved: 1 } });
    expect(after).toMatchObject({ mode: 'incremental', sprints: 0 });
    expect(open().some((f) => f.startsWith('rule-error'))).toBe(false);
  });
});
