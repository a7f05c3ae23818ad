import { describe, expect, it } from 'vitest';
import { builtInRules } from '../../rules/api.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { ConfigWaiver } from '../../src/engine/waivers.ts';
import { openStore } from '../../src/store/index.ts';
import { findingId } from '../../src/store/findings.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';
import type { WorkItem } from '../../src/model/work-item.ts';
import { inProgress, makeWorkItem } from '../helpers/builders.ts';

function setup() {
  const store = openStore(':memory:');
  const put = (items: WorkItem[], at = '2026-11-21T00:00:00.000Z') => store.transaction(() => store.items.upsert(items, at));
  const run = (at: string, waivers: ConfigWaiver[] = []) =>
    evaluate({ store, library: builtInRules, rules: {}, waivers, clock: fixedClock(at), timezone: 'UTC', log: silentLogger() });
  const history = (id: string) => store.findings.events(id).map((e) => [e.type, e.actor, e.reason]);
  return { store, put, run, history };
}

describe('snoozes and waivers', () => {
  it('brings a waived finding back when the waiver expires, audited', () => {
    const { store, put, run, history } = setup();
    const item = makeWorkItem({ nativeKey: 'PAY-1', estimate: null });
    const id = findingId('estimate-required', { kind: 'item', key: item.key });
    put([item]);
    run('2026-11-21T09:00:00.000Z');
    store.findings.setState(id, { state: 'waived', actor: 'U42', reason: 'research spike', until: '2026-11-25T00:00:00.000Z' }, '2026-11-21T10:00:00.000Z');

    run('2026-11-24T09:00:00.000Z');
    const during = store.findings.get(id)?.state;
    run('2026-11-26T09:00:00.000Z');

    expect(during).toBe('waived');
    expect(store.findings.get(id)).toMatchObject({ state: 'open', snoozedUntil: null });
    expect(history(id)).toEqual([
      ['opened', 'pmo-bot', null],
      ['waived', 'U42', 'research spike'],
      ['unwaived', 'pmo-bot', 'waiver expired'],
    ]);
  });

  it('brings a snoozed or waived finding back when its condition changes, not when only its numbers move', () => {
    const { store, put, run, history } = setup();
    const risk = makeWorkItem({ nativeKey: 'R-1', type: 'Risk', typeCategory: 'risk', assignee: null, fields: {}, dueDate: '2026-12-01' });
    const stale = inProgress({ nativeKey: 'PAY-2', startedAt: '2026-11-10T09:00:00.000Z', updatedAt: '2026-11-10T09:00:00.000Z', transitions: [] });
    const riskId = findingId('risk-register-hygiene', { kind: 'item', key: risk.key });
    const staleId = findingId('stale-in-progress', { kind: 'item', key: stale.key });
    put([risk, stale]);
    run('2026-11-21T09:00:00.000Z');
    store.findings.setState(riskId, { state: 'snoozed', actor: 'U42', reason: 'owner joins next week', until: '2026-12-31T00:00:00.000Z' }, '2026-11-21T10:00:00.000Z');
    store.findings.setState(staleId, { state: 'waived', actor: 'U7', reason: 'waiting on the vendor' }, '2026-11-21T10:00:00.000Z');

    put([{ ...risk, assignee: { id: 'u9', name: 'Ines', email: null } }], '2026-11-22T08:00:00.000Z'); // one gap closed
    run('2026-11-22T09:00:00.000Z'); // and PAY-2 is now one day staler

    expect(store.findings.get(riskId)?.state).toBe('open');
    expect(history(riskId).at(-1)).toEqual(['unsnoozed', 'pmo-bot', 'its condition changed']);
    expect(store.findings.events(riskId).at(-1)?.data).toEqual({
      from: 'Risk R-1 "Story R-1" needs attention: no owner, no mitigation',
      to: 'Risk R-1 "Story R-1" needs attention: no mitigation',
    });
    expect(store.findings.get(staleId)?.state).toBe('waived');
  });

  it('applies waivers from the config with who and why, and lifts them when the entry goes', () => {
    const { store, put, run, history } = setup();
    const item = makeWorkItem({ nativeKey: 'PAY-3', estimate: null });
    const id = findingId('estimate-required', { kind: 'item', key: item.key });
    const waiver: ConfigWaiver = { rule: 'estimate-required', subject: item.key, kind: 'item', reason: 'spike, timeboxed', by: 'priya.raman@acme.example', until: '2026-12-31' };
    put([item]);

    run('2026-11-21T09:00:00.000Z', [waiver]);
    const waived = store.findings.get(id);
    run('2026-11-22T09:00:00.000Z', [waiver]);
    run('2026-11-23T09:00:00.000Z', []);

    expect(waived).toMatchObject({ state: 'waived', snoozedUntil: '2026-12-31T23:59:59.999Z' });
    expect(store.findings.get(id)?.state).toBe('open');
    expect(history(id)).toEqual([
      ['opened', 'pmo-bot', null],
      ['waived', 'priya.raman@acme.example', 'spike, timeboxed'],
      ['unwaived', 'pmo-bot', 'waiver removed from the configuration'],
    ]);
  });

  it('ignores config waivers past their date', () => {
    const { store, put, run } = setup();
    const item = makeWorkItem({ nativeKey: 'PAY-4', estimate: null });
    put([item]);

    run('2026-11-21T09:00:00.000Z', [{ rule: 'estimate-required', subject: item.key, kind: 'item', reason: 'old deal', by: 'x', until: '2026-11-20' }]);

    expect(store.findings.get(findingId('estimate-required', { kind: 'item', key: item.key }))?.state).toBe('open');
  });
});
