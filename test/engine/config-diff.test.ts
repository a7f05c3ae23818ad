import { describe, expect, it } from 'vitest';
import { builtInRules } from '../../rules/api.ts';
import { builtInPresets } from '../../rules/presets/api.ts';
import { diffConfigs } from '../../src/engine/config-diff.ts';
import { compileRulePlan } from '../../src/engine/rule-config.ts';
import { openStore } from '../../src/store/index.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';
import { inProgress, makeWorkItem } from '../helpers/builders.ts';

const setupOf = (rules: Record<string, 'off' | 'info' | 'warning' | 'critical'>) => ({
  plan: compileRulePlan(builtInRules, { extends: [], rules }, builtInPresets),
  typeMapping: [],
  objectives: [],
  waivers: [],
});

describe('check --diff', () => {
  it('shows what a config change adds, removes and re-grades, recording nothing', () => {
    const store = openStore(':memory:');
    store.transaction(() =>
      store.items.upsert([makeWorkItem({ nativeKey: 'PAY-1', estimate: null, dueDate: '2026-11-01' }), inProgress({ nativeKey: 'PAY-2', assignee: null })], '2026-11-21T00:00:00.000Z'),
    );

    const diff = diffConfigs(
      store,
      setupOf({ 'estimate-required': 'warning', overdue: 'warning' }),
      setupOf({ overdue: 'critical', 'assignee-when-in-progress': 'info' }),
      fixedClock('2026-11-21T09:00:00.000Z'),
      'UTC',
      silentLogger(),
    );

    expect(diff.added.map((f) => [f.ruleId, f.subject.key])).toEqual([['assignee-when-in-progress', 'test:PAY-2']]);
    expect(diff.removed.map((f) => [f.ruleId, f.subject.key])).toEqual([['estimate-required', 'test:PAY-1']]);
    expect(diff.changed.map((c) => [c.after.ruleId, c.before.severity, c.after.severity])).toEqual([['overdue', 'warning', 'critical']]);
    expect(store.findings.count()).toBe(0);
    expect(store.lastRuns()).toEqual([]);
    store.close();
  });
});
