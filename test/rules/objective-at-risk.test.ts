import { describe, expect, it } from 'vitest';
import { builtInRules } from '../../rules/api.ts';
import { rule } from '../../rules/objective-at-risk.ts';
import { bindAlignmentRules } from '../../src/alignment/rule-binding.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { openStore } from '../../src/store/index.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';
import { makeWorkItem } from '../helpers/builders.ts';
import { NOW, checkRule, runRule } from '../helpers/rule-tester.ts';

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY).toISOString();
const created = '2026-01-01T00:00:00.000Z';

// One growth item done in each of the last 12 weeks (throughput 1 per week), 20 still open.
const history = Array.from({ length: 12 }, (_, w) =>
  makeWorkItem({ nativeKey: `H-${w}`, labels: ['growth'], createdAt: created, status: 'Done', statusCategory: 'done', startedAt: daysAgo(w * 7 + 3), resolvedAt: daysAgo(w * 7 + 1) }),
);
const open = Array.from({ length: 20 }, (_, i) => makeWorkItem({ nativeKey: `R-${i}`, labels: ['growth'], createdAt: created }));
const growth = (targetDate: string) => ({ objectives: [{ id: 'O1', title: 'Growth', owner: 'ada@acme.example', targetDate, match: { labels: ['growth'] } }] });

describe('objective-at-risk', () => {
  it('reports objectives unlikely to land by their target date, and objectives with no work', () => {
    checkRule(rule, {
      valid: [
        { name: 'no objectives configured', items: [...history, ...open] },
        { name: '20 weeks of work, target in a year', items: [...history, ...open], options: growth('2027-12-31') },
        { name: 'no target date: nothing to be late for', items: [...history, ...open], options: { objectives: [{ id: 'O1', title: 'g', match: { labels: ['growth'] } }] } },
        { name: 'below the threshold only', items: [...history, ...open], options: { ...growth('2027-04-10'), threshold: 0.5 } },
      ],
      invalid: [
        { name: 'target in 6 weeks', items: [...history, ...open], options: growth('2026-12-31'), errors: [{ messageId: 'atRisk', subject: 'O1', data: { probability: '0%', remaining: 20, p85: '2027-04-10' } }] },
        { name: 'matches nothing', items: [makeWorkItem({ nativeKey: 'X-1' })], options: { objectives: [{ id: 'O9', title: 'Ghost', match: { labels: ['nope'] } }] }, errors: [{ messageId: 'noWork', subject: 'O9' }] },
      ],
    });
  });

  it('states the forecast and the throughput sample as evidence, and the objective owner as owner', () => {
    const [report] = runRule(rule, { name: 'late', items: [...history, ...open], options: growth('2026-12-31') });

    expect(report).toMatchObject({
      owner: { email: 'ada@acme.example' },
      evidence: {
        probabilityByTarget: 0,
        threshold: 0.7,
        targetDate: '2026-12-31',
        p50: '2027-04-10',
        p85: '2027-04-10',
        remaining: 20,
        unit: 'items',
        runs: 10_000,
        seed: 42,
        throughputSample: ['Payments: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] per week, focus 1, 20 left'],
      },
    });
  });

  it('rejects bad options', () => {
    expect(rule.meta.options.safeParse({ threshold: 2 }).success).toBe(false);
    expect(rule.meta.options.safeParse({ tresholds: 0.5 }).success).toBe(false);
  });

  it('the runtime binds the config\'s objectives, so a check reports from the objectives section alone', () => {
    const config = ConfigSchema.parse({ sources: [{ id: 'demo', kind: 'sample' }], ...growth('2026-12-31') });
    const store = openStore(':memory:');
    store.transaction(() => store.items.upsert([...history, ...open], NOW.toISOString()));

    evaluate({ store, library: bindAlignmentRules(builtInRules, config), rules: {}, overrides: [], clock: fixedClock(NOW), timezone: 'UTC', log: silentLogger() });

    const findings = store.findings.list({ ruleId: 'objective-at-risk' });
    expect(findings.map((f) => [f.subject, f.severity, f.state])).toEqual([[{ kind: 'objective', key: 'O1' }, 'warning', 'open']]);
    expect(bindAlignmentRules(builtInRules, ConfigSchema.parse({ sources: [{ id: 'demo', kind: 'sample' }] }))).toBe(builtInRules);
    store.close();
  });
});
