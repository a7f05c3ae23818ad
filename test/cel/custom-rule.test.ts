import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigSchema, type Config } from '../../src/config/schema.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { ruleSetup } from '../../src/engine/setup.ts';
import { openStore } from '../../src/store/index.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';
import type { WorkItem } from '../../src/model/work-item.ts';
import { makeWorkItem } from '../helpers/builders.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/rules/', import.meta.url));

function problems(name: string): string[] {
  try {
    loadConfig(`${FIXTURES}${name}`, { schema: ConfigSchema, env: {} });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${relative(FIXTURES, p.file)}:${p.line}:${p.column}  ${p.path}  ${p.message}`);
  }
  throw new Error(`${name} loaded`);
}

function load(name: string): Config {
  return loadConfig(`${FIXTURES}${name}`, { schema: ConfigSchema, env: {} }).value;
}

function findings(config: Config, items: WorkItem[], at = '2026-11-21T12:00:00.000Z') {
  const store = openStore(':memory:');
  store.transaction(() => store.items.upsert(items, at));
  const summary = evaluate({ store, ...ruleSetup(config), clock: fixedClock(at), timezone: 'Europe/Berlin', log: silentLogger() });
  const out = store.findings.list({ state: 'open' });
  store.close();
  return { summary, out };
}

describe('custom CEL rules: checked when the config loads', () => {
  it('reports parse and type errors at their line and column inside the expression, with every other problem', () => {
    expect(problems('bad-rules.yaml')).toEqual([
      'bad-rules.yaml:3:11  extends[0]  unknown preset "recomended" (did you mean "recommended"?); presets: recommended, scrum, kanban, stage-gate',
      'bad-rules.yaml:4:49  methodology.projects.OPS  unknown preset "kanbn" (did you mean "kanban"?); presets: recommended, scrum, kanban, stage-gate',
      'bad-rules.yaml:6:3  rules.estimate-requird  unknown rule "estimate-requird" (did you mean "estimate-required"?); run `pmo-bot rules list` for the library',
      'bad-rules.yaml:7:34  rules.stale-in-progress[1].dayz  unknown option "dayz" for rule stale-in-progress (did you mean "days"?); options: days, activity, types',
      // single-quoted: the column of `.estimat`
      'bad-rules.yaml:11:49  custom[0].when  CEL: no such key: estimat',
      // double-quoted: the end of the text, where an operand is missing
      'bad-rules.yaml:12:35  custom[0].require  CEL: unexpected token: EOF',
      expect.stringMatching(/^bad-rules.yaml:13:30 {2}custom\[0\]\.message {2}unknown placeholder \{\{item\.nope\}\}; use \{\{item\.<field>\}\}/),
      // literal block: second line of the expression, after its indentation
      'bad-rules.yaml:17:9  custom[1].when  CEL: no such overload: double + string',
      // folded block
      'bad-rules.yaml:20:12  custom[1].condition  CEL: no such key: foo',
      'bad-rules.yaml:22:5  custom[2]  give either `require` or `condition`, not both',
    ]);
  });

  it('refuses non-boolean expressions, custom ids that shadow built-ins, and options on custom rules', () => {
    const schemaProblems = (custom: unknown[], rules: Record<string, unknown> = {}) => {
      const r = ConfigSchema.safeParse({ sources: [{ id: 'demo', kind: 'sample' }], custom, rules });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };

    expect(schemaProblems([{ id: 'x', require: 'item.estimate', message: 'm' }])).toEqual(['custom.0.require: CEL: must be a true/false expression, but it gives double']);
    expect(schemaProblems([{ id: 'overdue', require: 'true', message: 'm' }])).toEqual(['custom.0.id: "overdue" is a built-in rule; give the custom rule its own id']);
    expect(schemaProblems([{ id: 'x', require: 'true', message: 'm' }], { x: ['warning', { days: 3 }] })).toEqual(['rules.x.1: custom rule x takes no options']);
    expect(schemaProblems([{ id: 'Bad Id', condition: 'true', message: 'm' }])[0]).toMatch(/^custom\.0\.id: must be kebab-case/);
    expect(schemaProblems([{ id: 'x', message: 'm' }])).toEqual(['custom.0: needs `require` (must hold) or `condition` (must not hold)']);
  });
});

describe('custom CEL rules: evaluation', () => {
  const config = load('custom-ok.yaml');

  it('reports items that break a rule, with templated messages, severity from config and overrides', () => {
    const items = [
      makeWorkItem({ nativeKey: 'PAY-1', components: ['auth'] }),
      makeWorkItem({ nativeKey: 'PAY-2', components: ['auth'], labels: ['security-reviewed'] }),
      makeWorkItem({ nativeKey: 'PAY-3', components: ['auth'], labels: ['incident'], typeCategory: 'bug', type: 'Bug', assignee: null }),
      makeWorkItem({ nativeKey: 'PAY-4', typeCategory: 'bug', labels: ['incident'], statusCategory: 'done', status: 'Done', fields: {} }),
      makeWorkItem({ nativeKey: 'PAY-5', typeCategory: 'bug', labels: ['incident'], statusCategory: 'done', status: 'Done', fields: { postmortem: 'https://wiki/pm-5' } }),
      makeWorkItem({ nativeKey: 'PAY-6', estimate: 21 }),
    ];

    const { out } = findings(config, items);

    const custom = out.filter((f) => ['auth-review', 'incident-postmortem', 'estimate-over'].includes(f.ruleId)).map((f) => [f.ruleId, f.severity, f.category, f.message]);
    expect(custom).toEqual([
      ['auth-review', 'critical', 'compliance', 'PAY-3 (nobody) needs a security review'],
      ['auth-review', 'warning', 'compliance', 'PAY-1 (Ada Lovelace) needs a security review'],
      ['estimate-over', 'warning', 'compliance', 'PAY-6 is too big'],
      ['incident-postmortem', 'warning', 'risk', 'Incident PAY-4 closed without a post-mortem link'],
    ]);
  });

  it('counts calendar days in the configured zone and treats absent values as absent', () => {
    const items = [
      makeWorkItem({ nativeKey: 'OLD-1', createdAt: '2026-08-22T22:30:00.000Z' }), // 23 Aug in Berlin: 90 days before 21 Nov
      makeWorkItem({ nativeKey: 'OLD-2', createdAt: '2026-08-22T21:30:00.000Z' }), // 22 Aug in Berlin: 91 days
      makeWorkItem({ nativeKey: 'DUE-1', dueDate: '2026-11-20', sprint: { id: '1', name: 'PAY Sprint 9', state: 'active', startDate: '2026-11-16T08:00:00.000Z', endDate: '2026-11-30T17:00:00.000Z' } }),
      makeWorkItem({ nativeKey: 'DUE-2', dueDate: '2026-11-21', sprint: { id: '1', name: 'PAY Sprint 9', state: 'active', startDate: null, endDate: '2026-11-30T17:00:00.000Z' } }),
      makeWorkItem({ nativeKey: 'DUE-3', dueDate: '2026-11-20' }),
    ];

    const { out } = findings(config, items);

    expect(out.filter((f) => f.ruleId === 'old-todo').map((f) => f.subject.key)).toEqual(['test:OLD-2']);
    expect(out.filter((f) => f.ruleId === 'due-in-sprint').map((f) => f.message)).toEqual(['DUE-1 was due inside PAY Sprint 9']);
  });

  it('turns a runtime failure on one item into a rule-error finding and goes on', () => {
    const items = [makeWorkItem({ nativeKey: 'PAY-7', estimate: null }), makeWorkItem({ nativeKey: 'PAY-8', estimate: 21 })];

    const { summary, out } = findings(config, items);

    expect(summary.ruleErrors).toBe(1);
    const error = out.find((f) => f.ruleId === 'rule-error');
    expect(error).toMatchObject({ subject: { kind: 'item', key: 'test:PAY-7' }, owner: null, evidence: { kind: 'rule-error', rule: 'estimate-over' } });
    expect(error?.message).toMatch(/^rule estimate-over failed on test:PAY-7: /);
    expect(out.some((f) => f.ruleId === 'estimate-over' && f.subject.key === 'test:PAY-8')).toBe(true);
  });

  it('reports an evaluation that overruns its budget as a rule error', () => {
    const slow: Config = { ...config, custom: [{ ...config.custom[4]!, id: 'slow', budgetMs: 0.000001, when: 'item.labels.all(l, l.size() > 0) && item.title.matches("^(a|b|c)*$") == false' }] };

    const { out } = findings(slow, [makeWorkItem({ nativeKey: 'PAY-9', estimate: 21, labels: ['x'] })]);

    expect(out.find((f) => f.ruleId === 'rule-error')?.message).toMatch(/^rule slow failed on test:PAY-9: took [\d.]+ ms on one item \(budget 0.000001 ms\)$/);
  });
});
