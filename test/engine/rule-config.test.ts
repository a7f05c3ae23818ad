import { describe, expect, it } from 'vitest';
import { builtInRules } from '../../rules/api.ts';
import { builtInPresets } from '../../rules/presets/api.ts';
import { compileRulePlan, type MatchSubject, type RuleConfig } from '../../src/engine/rule-config.ts';
import { classify, type TypeMappingEntry } from '../../src/engine/type-mapping.ts';
import { makeWorkItem } from '../helpers/builders.ts';

const subject = (over: Partial<MatchSubject> = {}): MatchSubject => ({ source: 'jira', project: 'PAY', team: 'Payments', typeCategory: 'story', type: 'Story', labels: [], components: [], classes: [], ...over });

function setting(config: RuleConfig, id: string, s: MatchSubject = subject()) {
  const eff = compileRulePlan(builtInRules, config, builtInPresets).forSubject(s).find((e) => e.rule.meta.id === id)!;
  return { severity: eff.severity, options: eff.options as Record<string, unknown> };
}

describe('rule configuration precedence', () => {
  it('starts from recommended; a rule no layer mentions is off', () => {
    expect(setting({}, 'overdue').severity).toBe('critical');
    expect(setting({}, 'sprint-goal-set').severity).toBe('off');
    expect(setting({ extends: [] }, 'overdue').severity).toBe('off');
  });

  it('applies layers lowest first: extends < methodology < rules < overrides', () => {
    const config: RuleConfig = {
      extends: ['recommended'],
      methodology: { default: 'scrum', projects: { OPS: 'kanban' } },
      rules: { 'stale-in-progress': ['info', { days: 7 }] },
      overrides: [{ match: { project: 'OPS' }, rules: { 'stale-in-progress': 'critical' } }],
    };

    expect(setting(config, 'sprint-goal-set').severity).toBe('warning'); // methodology default (scrum)
    expect(setting(config, 'sprint-goal-set', subject({ project: 'OPS' })).severity).toBe('off'); // kanban project
    expect(setting(config, 'estimate-required', subject({ project: 'OPS' })).severity).toBe('off'); // kanban turns it off
    expect(setting(config, 'blocked-too-long', subject({ project: 'OPS' })).options['days']).toBe(2); // kanban's option
    expect(setting(config, 'stale-in-progress')).toMatchObject({ severity: 'info', options: { days: 7 } }); // rules: beats presets
    // An override with only a severity keeps the options set before it.
    expect(setting(config, 'stale-in-progress', subject({ project: 'OPS' }))).toMatchObject({ severity: 'critical', options: { days: 7 } });
  });

  it('lets `rules:` beat the methodology preset, and a team beat its project', () => {
    const config: RuleConfig = { methodology: { projects: { PAY: 'scrum' }, teams: { Payments: 'kanban' } }, rules: { 'sprint-goal-set': 'info' } };

    expect(setting(config, 'aging-wip').severity).toBe('warning'); // team → kanban
    expect(setting(config, 'aging-wip', subject({ team: 'Checkout' })).severity).toBe('off'); // project → scrum
    expect(setting(config, 'sprint-goal-set', subject({ team: 'Checkout' })).severity).toBe('info');
  });

  it('applies overrides in file order (later wins), and options replace earlier ones', () => {
    const config: RuleConfig = {
      rules: { 'wip-limit': ['warning', { perPerson: 3, perStatus: { Review: 2 } }] },
      overrides: [
        { match: { labels: ['urgent'] }, rules: { 'wip-limit': ['critical', { perPerson: 5 }] } },
        { match: { typeCategory: ['bug', 'story'], components: ['auth'] }, rules: { 'wip-limit': 'info' } },
      ],
    };

    expect(setting(config, 'wip-limit', subject({ labels: ['urgent'] }))).toMatchObject({ severity: 'critical', options: { perPerson: 5, perStatus: {} } });
    expect(setting(config, 'wip-limit', subject({ labels: ['urgent'], components: ['auth'] }))).toMatchObject({ severity: 'info', options: { perPerson: 5 } });
    expect(setting(config, 'wip-limit', subject({ components: ['auth'], typeCategory: 'task' }))).toMatchObject({ severity: 'warning', options: { perPerson: 3 } });
  });

  it('matches overrides on source, type, class and team; a subject without a value never matches it', () => {
    const config: RuleConfig = {
      overrides: [
        { match: { source: 'ado', type: 'Bug' }, rules: { overdue: 'info' } },
        { match: { class: 'incident' }, rules: { overdue: 'warning' } },
        { match: { team: 'Payments' }, rules: { 'due-soon-not-started': 'off' } },
      ],
    };
    expect(setting(config, 'overdue', subject({ source: 'ado', type: 'Bug' })).severity).toBe('info');
    expect(setting(config, 'overdue', subject({ source: 'jira', type: 'Bug' })).severity).toBe('critical');
    expect(setting(config, 'overdue', subject({ classes: ['incident'] })).severity).toBe('warning');
    expect(setting(config, 'due-soon-not-started', subject({ team: null })).severity).toBe('info');
  });

  it('shares one configuration between subjects that resolve alike', () => {
    const plan = compileRulePlan(builtInRules, { overrides: [{ match: { project: 'OPS' }, rules: {} }] }, builtInPresets);
    expect(plan.forSubject(subject({ project: 'OPS' }))).toBe(plan.forSubject(subject()));
    expect(plan.variants()).toHaveLength(1);
  });

  it('refuses unknown presets and cycles', () => {
    expect(() => compileRulePlan(builtInRules, { extends: ['nope'] }, builtInPresets)).toThrow('unknown preset "nope"');
    const cyclic = new Map([
      ['a', { id: 'a', title: 'A', description: '', extends: ['b'], rules: {} }],
      ['b', { id: 'b', title: 'B', description: '', extends: ['a'], rules: {} }],
    ]);
    expect(() => compileRulePlan(builtInRules, { extends: ['a'] }, cyclic)).toThrow('preset cycle: a → b → a');
  });
});

describe('typeMapping', () => {
  const entries: TypeMappingEntry[] = [
    { match: { typeCategory: 'bug', labels: ['incident'] }, class: 'incident' },
    { match: { type: 'Task', fields: { 'Custom.Kind': ['Risk', 'Issue'] } }, typeCategory: 'risk' },
    { match: { type: 'Task' }, typeCategory: 'other', class: 'chore' },
    { match: { fields: { 'Custom.Severity': true } }, class: 'rated' },
  ];

  it('classifies by type and label or field; the first category wins and classes add up', () => {
    const bug = makeWorkItem({ type: 'Bug', typeCategory: 'bug', labels: ['incident'] });
    const riskTask = makeWorkItem({ type: 'Task', typeCategory: 'task', fields: { 'Custom.Kind': 'Risk', 'Custom.Severity': 2 } });
    const plainTask = makeWorkItem({ type: 'Task', typeCategory: 'task', fields: { 'Custom.Severity': '' } });

    expect(classify(entries, bug)).toEqual({ item: bug, classes: ['incident'] });
    const mapped = classify(entries, riskTask);
    expect(mapped.item.typeCategory).toBe('risk');
    expect(mapped.classes).toEqual(['chore', 'rated']);
    expect(riskTask.typeCategory).toBe('task'); // the stored item is not changed
    expect(classify(entries, plainTask)).toMatchObject({ item: { typeCategory: 'other' }, classes: ['chore'] });
  });
});
