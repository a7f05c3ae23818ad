import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtInRules } from '../../rules/api.ts';
import { builtInPresets } from '../../rules/presets/api.ts';
import { placeholders } from '../../src/engine/message.ts';
import { presetLayers, resolveLayers } from '../../src/engine/rule-config.ts';
import { isAggregate } from '../../src/engine/rule.ts';
import { inProgress } from '../helpers/builders.ts';
import { NOW } from '../helpers/rule-tester.ts';

const ruleFiles = readdirSync(new URL('../../rules/', import.meta.url)).filter((f) => f.endsWith('.ts') && f !== 'api.ts').map((f) => f.slice(0, -3)).sort();
const presetFiles = readdirSync(new URL('../../rules/presets/', import.meta.url)).filter((f) => f.endsWith('.ts') && f !== 'api.ts').map((f) => f.slice(0, -3)).sort();
const specs = readdirSync(new URL('./', import.meta.url)).filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n');

describe('the rule library', () => {
  it('registers every rule file under its own id, sorted, at least 30', () => {
    expect(builtInRules.map((r) => r.meta.id)).toEqual(ruleFiles);
    expect(ruleFiles.length).toBeGreaterThanOrEqual(30);
  });

  it.each(ruleFiles)('%s has a spec', (id) => {
    expect(specs, `a describe('${id}', …) in test/rules/`).toContain(`describe('${id}'`);
  });

  it.each(builtInRules.map((r) => [r.meta.id, r] as const))('%s documents itself and keeps the visitor contract', (_id, rule) => {
    const m = rule.meta;
    expect(m.description.length).toBeGreaterThan(10);
    expect(m.rationale.length).toBeGreaterThan(40);
    expect(Object.keys(m.messages).length).toBeGreaterThan(0);
    for (const template of Object.values(m.messages)) expect(placeholders(template).length).toBeGreaterThan(0);
    // Options parse from nothing (all defaulted) and reject unknown keys.
    expect(() => m.options.parse({})).not.toThrow();
    expect(() => m.options.parse({ notAnOption: 1 })).toThrow();
    const visitor = rule.create({ options: m.options.parse({}), severity: m.defaultSeverity, now: NOW, timezone: 'UTC', lookup: { item: () => undefined, sprint: () => undefined }, objectives: [], report: () => undefined, recheckAt: () => undefined });
    // A rule is per-item (item) or aggregate (collect/sprint/done), never both: incremental evaluation relies on it.
    expect(visitor.item !== undefined && isAggregate(visitor), 'item() mixed with aggregate hooks').toBe(false);
    expect(visitor.item !== undefined || isAggregate(visitor)).toBe(true);
    // Aggregate facts are kept between runs: they must not depend on the clock.
    if (visitor.collect) {
      const later = rule.create({ options: m.options.parse({}), severity: m.defaultSeverity, now: new Date(NOW.getTime() + 9e9), timezone: 'UTC', lookup: { item: () => undefined, sprint: () => undefined }, objectives: [], report: () => undefined, recheckAt: () => undefined });
      const item = inProgress({ estimate: 3, sprint: { id: '1', name: 'S', state: 'active', startDate: '2026-11-16T08:00:00.000Z', endDate: null } });
      expect(later.collect?.(item)).toEqual(visitor.collect(item));
    }
  });
});

describe('presets', () => {
  it('registers every preset file, and each names only library rules', () => {
    expect([...builtInPresets.keys()].sort()).toEqual(presetFiles);
    const ids = new Set(builtInRules.map((r) => r.meta.id));
    for (const preset of builtInPresets.values()) {
      expect(preset.description.length, preset.id).toBeGreaterThan(100);
      for (const id of Object.keys(preset.rules)) expect(ids, `${preset.id} names ${id}`).toContain(id);
      expect(() => resolveLayers(builtInRules, presetLayers(preset.id, builtInPresets))).not.toThrow();
    }
  });

  it('gives each methodology its own emphasis', () => {
    const on = (preset: string) =>
      resolveLayers(builtInRules, presetLayers(preset, builtInPresets))
        .filter((e) => e.severity !== 'off')
        .map((e) => e.rule.meta.id);
    expect(on('scrum')).toContain('sprint-goal-set');
    expect(on('kanban')).not.toContain('sprint-goal-set');
    expect(on('kanban')).not.toContain('estimate-required');
    expect(on('kanban')).toContain('aging-wip');
    expect(on('stage-gate')).toEqual(expect.arrayContaining(['stage-gate-approval', 'due-date-required', 'risk-register-hygiene']));
    expect(on('recommended')).not.toContain('stage-gate-approval');
  });
});
