import { describe, expect, it } from 'vitest';
import { healthReport } from '../../src/cli/commands/health.ts';
import { builtInRules } from '../../rules/api.ts';
import { builtInPresets } from '../../rules/presets/api.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { compileRulePlan } from '../../src/engine/rule-config.ts';
import { computeHealth, HealthSettings, recordHealth } from '../../src/engine/health.ts';
import { openStore } from '../../src/store/index.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';
import { makeWorkItem } from '../helpers/builders.ts';

const settings = HealthSettings.parse({});
const plan = compileRulePlan(builtInRules, { extends: [], rules: { 'estimate-required': 'warning' } }, builtInPresets);
const ada = { id: 'u1', name: 'Ada', email: 'ada@acme.example' };
const adaInAdo = { id: 'guid-7', name: 'Ada L.', email: 'ADA@acme.example' };
const bo = { id: 'u2', name: 'Bo', email: 'bo@acme.example' };

/** Ten items in PAY (Payments) and OPS (Ops); estimate-required is the only rule, at `warning`. */
function portfolio(unestimated: number) {
  const store = openStore(':memory:');
  const items = [
    ...Array.from({ length: 6 }, (_, i) => makeWorkItem({ nativeKey: `PAY-${i}`, project: 'PAY', team: 'Payments', assignee: ada, estimate: i < unestimated ? null : 3 })),
    ...Array.from({ length: 4 }, (_, i) => makeWorkItem({ source: 'ado', nativeKey: `${100 + i}`, project: 'OPS', team: 'Ops', assignee: i === 0 ? adaInAdo : bo })),
  ];
  store.transaction(() => store.items.upsert(items, '2026-11-20T00:00:00.000Z'));
  const check = (at: string) =>
    evaluate({ store, plan, clock: fixedClock(at), timezone: 'UTC', log: silentLogger() });
  return { store, check };
}

describe('health per project, team and person', () => {
  it('weights open findings per item, counts compliance, and merges a person across sources by email', () => {
    const { store, check } = portfolio(3);
    check('2026-11-21T09:00:00.000Z');

    const health = computeHealth(store, settings);
    const of = (scope: string, subject: string) => health.find((h) => h.scope === scope && h.subject === subject);

    expect(of('project', 'PAY')).toMatchObject({ items: 6, nonCompliant: 3, compliance: 0.5, score: 0.5, rag: 'red', open: { critical: 0, warning: 3, info: 0 } });
    expect(of('project', 'OPS')).toMatchObject({ items: 4, nonCompliant: 0, compliance: 1, score: 0, rag: 'green' });
    expect(of('team', 'Payments')?.rag).toBe('red');
    expect(of('person', 'ada@acme.example')).toMatchObject({ items: 7, nonCompliant: 3, compliance: 0.5714 });
    expect(of('person', 'bo@acme.example')).toMatchObject({ items: 3, rag: 'green' });
    expect(of('portfolio', 'all')).toMatchObject({ items: 10, nonCompliant: 3, compliance: 0.7, score: 0.3, rag: 'amber' });
    expect(health.map((h) => h.scope)).toEqual(['portfolio', 'project', 'project', 'team', 'team', 'person', 'person']);
  });

  it('snoozed and waived findings do not weigh; thresholds and weights come from the config', () => {
    const { store, check } = portfolio(1);
    check('2026-11-21T09:00:00.000Z');
    expect(computeHealth(store, settings).find((h) => h.subject === 'PAY')).toMatchObject({ compliance: 0.8333, rag: 'amber' });

    const [f] = store.findings.list({ state: 'open' });
    store.findings.setState(f!.id, { state: 'snoozed', actor: 'test', reason: 'later', until: '2026-12-01T00:00:00.000Z' }, '2026-11-21T10:00:00.000Z');

    expect(computeHealth(store, settings).find((h) => h.subject === 'PAY')).toMatchObject({ compliance: 1, rag: 'green' });
    expect(computeHealth(store, HealthSettings.parse({ amberCompliance: 0.5 })).find((h) => h.subject === 'PAY')?.rag).toBe('green');
  });

  it('is stored per run, a row only when it changed, and read back as a week-by-week trend', () => {
    const { store, check } = portfolio(3);
    const runAt = (at: string) => recordHealth(store, settings, check(at).runId, at);
    expect(runAt('2026-11-01T09:00:00.000Z')).not.toBeNull();
    expect(runAt('2026-11-02T09:00:00.000Z')).toBeNull(); // nothing changed: not even computed
    const [first] = store.findings.list({ state: 'open' });
    store.findings.setState(first!.id, { state: 'snoozed', actor: 'test', reason: 'later' }, '2026-11-02T10:00:00.000Z');
    store.findings.setState(first!.id, { state: 'open', actor: 'test', reason: 'back' }, '2026-11-02T11:00:00.000Z');
    expect(runAt('2026-11-02T12:00:00.000Z')).not.toBeNull(); // a finding changed: computed, the same, no new row
    const rowsAfterTwo = store.db.prepare("SELECT count(*) FROM health_snapshots WHERE subject = 'PAY'").pluck().get();
    // Two of the three get an estimate, as a sync would bring them in.
    const fixed = ['test:PAY-0', 'test:PAY-1'].map((k) => ({ ...store.items.get(k)!, estimate: 5 }));
    store.transaction(() => store.items.upsert(fixed, '2026-11-10T00:00:00.000Z'));
    runAt('2026-11-10T09:00:00.000Z');

    expect(rowsAfterTwo).toBe(1);
    expect(store.db.prepare("SELECT at, rag, compliance FROM health_snapshots WHERE subject = 'PAY' ORDER BY at").all()).toEqual([
      { at: '2026-11-01T09:00:00.000Z', rag: 'red', compliance: 0.5 },
      { at: '2026-11-10T09:00:00.000Z', rag: 'amber', compliance: 0.8333 },
    ]);
    const report = healthReport(store, settings, new Date('2026-11-21T09:00:00.000Z'), 3, 'project');
    const pay = report.find((h) => h.subject === 'PAY')!;
    expect(pay.trend.map((t) => t && [t.at.slice(0, 10), t.rag])).toEqual([null, ['2026-11-07', 'red'], ['2026-11-14', 'amber']]);
    expect(pay.previous).toEqual({ rag: 'amber', compliance: 0.8333, score: 0.1667 });
    expect(report.every((h) => h.scope === 'project')).toBe(true);
  });
});
