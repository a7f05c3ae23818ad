import { expect } from 'vitest';
import { placeholders } from '../../src/engine/message.ts';
import type { AnyRule, RuleReport } from '../../src/engine/rule.ts';
import { runRule as runRuleOver } from '../../src/engine/run-rule.ts';
import type { Sprint, WorkItem } from '../../src/model/work-item.ts';
import type { ObjectiveSpec } from '../../src/engine/objective-match.ts';

export interface RuleCase {
  name: string;
  items: WorkItem[];
  sprints?: Sprint[];
  options?: Record<string, unknown>;
  objectives?: ObjectiveSpec[];
  classes?: string[];
  now?: Date;
  timezone?: string;
}

export interface InvalidCase extends RuleCase {
  /** Expected reports: messageId and subject key, plus any data values to check. */
  errors: Array<{ messageId: string; subject: string; data?: Record<string, string | number> }>;
}

export const NOW = new Date('2026-11-21T12:00:00.000Z');

/** Runs one rule over items (the engine's visitor order) and returns its reports. */
export function runRule(rule: AnyRule, c: RuleCase): RuleReport[] {
  const classes = new Map(c.items.map((i) => [i.key, c.classes ?? []]));
  return runRuleOver(rule, { items: c.items, sprints: c.sprints ?? [], options: c.options ?? {}, objectives: c.objectives ?? [], classes, now: c.now ?? NOW, timezone: c.timezone ?? 'UTC' });
}

function subjectKey(r: RuleReport): string {
  return 'nativeKey' in r.subject ? r.subject.key : r.subject.key;
}

/** ESLint's RuleTester shape: valid cases report nothing, invalid ones exactly what they list. */
export function checkRule(rule: AnyRule, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  for (const c of cases.valid) {
    expect(runRule(rule, c), `valid case "${c.name}"`).toEqual([]);
  }
  for (const c of cases.invalid) {
    const reports = runRule(rule, c);
    expect(
      reports.map((r) => ({ messageId: r.messageId, subject: subjectKey(r) })),
      `invalid case "${c.name}"`,
    ).toEqual(c.errors.map((e) => ({ messageId: e.messageId, subject: e.subject })));
    reports.forEach((r, i) => {
      const template = rule.meta.messages[r.messageId];
      expect(template, `messageId ${r.messageId} exists`).toBeDefined();
      for (const name of placeholders(template ?? '')) expect(r.data ?? {}, `"${c.name}" supplies {{${name}}}`).toHaveProperty(name);
      const want = c.errors[i]?.data;
      if (want) expect(r.data).toMatchObject(want);
    });
  }
}
