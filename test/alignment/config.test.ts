import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigSchema } from '../../src/config/schema.ts';

function problems(yaml: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pmo-align-config-'));
  const file = join(dir, 'pmo-bot.yaml');
  writeFileSync(file, yaml);
  try {
    loadConfig(file, { schema: ConfigSchema, env: {} });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.line}:${p.column} ${p.path} ${p.message}`);
  }
  return [];
}

const HEAD = 'sources: [{ id: demo, kind: sample }]\n';

describe('objectives, themes and alignment in the config', () => {
  it('accepts key results, themes, priorities, budget and the alignment block, with defaults', () => {
    const yaml = `${HEAD}objectives:
  - id: O1
    title: Grow
    priority: 2
    theme: growth
    budget: 1000
    match: { epics: [PAY-1], areaPaths: ['Fabrikam\\Checkout'], cel: '"growth" in item.labels' }
    keyResults: [{ id: KR1, title: Wallets, match: { epics: ["4102"] }, target: { points: 20 } }]
themes: [{ id: growth, title: Growth, targetShare: 0.5 }]
alignment: { windowDays: 14, budget: { costPerTeamWeek: 20000 } }
`;

    expect(problems(yaml)).toEqual([]);
  });

  it('reports a bad CEL expression even when another part of the config is invalid too', () => {
    const yaml = `sources: 7\nobjectives: [{ id: O1, title: t, match: { cel: '1 +' } }]\n`;

    expect(problems(yaml)).toEqual(['1:10 sources expected a list, got 7', '2:48 objectives[0].match.cel invalid CEL expression "1 +": Unexpected token: EOF']);
  });

  it('reports an empty match, an unknown theme, a bad CEL expression and a duplicate key result at their lines', () => {
    const yaml = `${HEAD}objectives:
  - id: O1
    title: Grow
    theme: growht
    match: {}
  - id: O2
    title: Audit
    match: { cel: 'item.labels.exists(l, ' }
    keyResults:
      - { id: KR1, title: a, match: { labels: [x] } }
      - { id: KR1, title: b, match: { labels: [y] }, target: {} }
themes: [{ id: growth, title: Growth }]
`;

    expect(problems(yaml)).toEqual([
      '5:12 objectives[0].theme unknown theme "growht" (did you mean "growth"?); declare it under themes:',
      '6:5 objectives[0].match match needs at least one criterion (epics, labels, tags, components, projects, teams, areaPaths, cel)',
      '9:19 objectives[1].match.cel invalid CEL expression "item.labels.exists(l, ": Unexpected token: EOF',
      '12:15 objectives[1].keyResults[1].id duplicate key result id "KR1"',
      '12:54 objectives[1].keyResults[1].target target needs items or points',
    ]);
  });
});
