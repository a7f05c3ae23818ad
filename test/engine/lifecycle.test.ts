import { describe, expect, it } from 'vitest';
import { builtInRules } from '../../rules/api.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { openStore } from '../../src/store/index.ts';
import { findingId } from '../../src/store/findings.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';
import type { WorkItem } from '../../src/model/work-item.ts';
import { makeWorkItem } from '../helpers/builders.ts';

function setup() {
  const store = openStore(':memory:');
  const put = (items: WorkItem[]) => store.transaction(() => store.items.upsert(items, '2026-11-21T00:00:00.000Z'));
  const run = (at: string, rules = {}) =>
    evaluate({ store, library: builtInRules, rules, overrides: [], clock: fixedClock(at), timezone: 'UTC', log: silentLogger() });
  return { store, put, run };
}

describe('finding lifecycle', () => {
  it('opens, keeps, resolves and reopens findings with stable ids, auditing every change', () => {
    const { store, put, run } = setup();
    const a = makeWorkItem({ nativeKey: 'PAY-1', estimate: null });
    const b = makeWorkItem({ nativeKey: 'PAY-2', estimate: 2 });
    const idA = findingId('estimate-required', { kind: 'item', key: a.key });
    const idB = findingId('estimate-required', { kind: 'item', key: b.key });

    put([a, b]);
    const first = run('2026-11-21T09:00:00.000Z');
    put([{ ...b, estimate: null }]);
    const second = run('2026-11-22T09:00:00.000Z');
    put([{ ...a, estimate: 3 }]);
    const third = run('2026-11-23T09:00:00.000Z');
    put([{ ...a, estimate: null }]);
    const fourth = run('2026-11-24T09:00:00.000Z');

    expect(first.findings).toMatchObject({ opened: 1, ongoing: 0, resolved: 0, open: 1 });
    expect(second.findings).toMatchObject({ opened: 1, ongoing: 1, resolved: 0, open: 2 });
    expect(third.findings).toMatchObject({ opened: 0, ongoing: 1, resolved: 1, open: 1 });
    expect(fourth.findings).toMatchObject({ opened: 0, reopened: 1, ongoing: 1, open: 2 });
    const findingA = store.findings.get(idA);
    expect(findingA).toMatchObject({ state: 'open', firstSeenAt: '2026-11-21T09:00:00.000Z', lastSeenAt: '2026-11-24T09:00:00.000Z', resolvedAt: null });
    expect(store.findings.get(idB)?.firstSeenAt).toBe('2026-11-22T09:00:00.000Z');
    expect(store.findings.events(idA).map((e) => [e.type, e.at])).toEqual([
      ['opened', '2026-11-21T09:00:00.000Z'],
      ['resolved', '2026-11-23T09:00:00.000Z'],
      ['reopened', '2026-11-24T09:00:00.000Z'],
    ]);
  });

  it('sets resolvedAt when the subject is fixed, and resolves findings of a rule turned off', () => {
    const { store, put, run } = setup();
    put([makeWorkItem({ nativeKey: 'PAY-1', estimate: null, dueDate: '2026-11-01' })]);
    run('2026-11-21T09:00:00.000Z');

    const summary = run('2026-11-22T09:00:00.000Z', { overdue: 'off' });

    expect(summary.findings.resolved).toBe(1);
    const resolved = store.findings.list({ state: 'resolved' });
    expect(resolved.map((f) => [f.ruleId, f.resolvedAt])).toEqual([['overdue', '2026-11-22T09:00:00.000Z']]);
  });

  it('keeps waived findings waived while the rule still reports them, and records a severity change', () => {
    const { store, put, run } = setup();
    const item = makeWorkItem({ nativeKey: 'PAY-1', estimate: null });
    const id = findingId('estimate-required', { kind: 'item', key: item.key });
    put([item]);
    run('2026-11-21T09:00:00.000Z');
    store.findings.setState(id, { state: 'waived', actor: 'U123', reason: 'spike, no estimate by design' }, '2026-11-21T10:00:00.000Z');

    run('2026-11-22T09:00:00.000Z', { 'estimate-required': 'critical' });

    expect(store.findings.get(id)).toMatchObject({ state: 'waived', severity: 'critical' });
    expect(store.findings.events(id).map((e) => [e.type, e.actor, e.reason])).toEqual([
      ['opened', 'pmo-bot', null],
      ['waived', 'U123', 'spike, no estimate by design'],
      ['severity_changed', 'pmo-bot', null],
    ]);
  });

  it('applies overrides per item: a project can switch a rule off', () => {
    const { put, store } = setup();
    put([makeWorkItem({ nativeKey: 'PAY-1', estimate: null }), makeWorkItem({ nativeKey: 'WEB-1', project: 'WEB', estimate: null })]);

    evaluate({
      store,
      library: builtInRules,
      rules: { 'estimate-required': 'critical' },
      overrides: [{ match: { project: 'WEB' }, rules: { 'estimate-required': 'off' } }],
      clock: fixedClock('2026-11-21T09:00:00.000Z'),
      timezone: 'UTC',
      log: silentLogger(),
    });

    expect(store.findings.list().map((f) => [f.subject.key, f.severity])).toEqual([['test:PAY-1', 'critical']]);
  });

  it('keeps going when a rule throws on one item', () => {
    const { put, store } = setup();
    put([makeWorkItem({ nativeKey: 'PAY-1', estimate: null })]);
    const broken = { ...builtInRules[0]!, meta: { ...builtInRules[0]!.meta, id: 'broken' }, create: () => ({ item: () => { throw new Error('boom'); } }) };

    const summary = evaluate({ store, library: [broken, ...builtInRules], rules: { broken: 'warning' }, overrides: [], clock: fixedClock('2026-11-21T09:00:00.000Z'), timezone: 'UTC', log: silentLogger() });

    expect(summary.ruleErrors).toBe(1);
    expect(store.findings.list().map((f) => [f.ruleId, f.subject.key, f.evidence['rule'] ?? null])).toEqual([
      ['estimate-required', 'test:PAY-1', null],
      ['rule-error', 'test:PAY-1', 'broken'],
    ]);
    expect(store.findings.list({ ruleId: 'rule-error' })[0]?.message).toBe('rule broken failed on test:PAY-1: boom');
  });
});
