import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePages } from '../../connectors/sample/generate.ts';
import { ConfigSchema, type Config } from '../../src/config/schema.ts';
import { createEvaluatorState, evaluate, type EvaluationSummary, type EvaluatorState } from '../../src/engine/evaluate.ts';
import { boundRuleSetup, ruleSetup, type RuleSetup } from '../../src/engine/setup.ts';
import { WorkItem } from '../../src/model/work-item.ts';
import { openStore } from '../../src/store/index.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { createLogger } from '../../src/util/log.ts';

const NOW = '2026-11-21T09:00:00.000Z';
const ITEMS = 1500;
const dir = mkdtempSync(join(tmpdir(), 'pmo-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The demo portfolio's rules and objectives, ten custom CEL rules, one of which fails on every item without an estimate. */
function config(): Config {
  return ConfigSchema.parse({
    timezone: 'Europe/Berlin',
    sources: [{ id: 'demo', kind: 'sample' }],
    extends: ['recommended'],
    rules: { 'objective-at-risk': 'warning' },
    objectives: [
      { id: 'O1', title: 'Grow', match: { labels: ['growth'] } },
      { id: 'O2', title: 'Retain', match: { labels: ['retention'] } },
    ],
    overrides: [{ match: { project: 'PAY' }, rules: { 'estimate-required': 'critical' } }],
    custom: [
      { id: 'c-big-story', when: 'item.typeCategory == "story" && has(item.estimate)', condition: 'item.estimate > 8.0', message: '{{item.key}} is too big' },
      { id: 'c-old-todo', when: 'item.statusCategory == "todo"', condition: 'daysSince(item.createdAt) > 120', message: '{{item.key}} waits' },
      { id: 'c-title-length', condition: 'item.title.size() < 8', message: '{{item.key}} has a short title' },
      { id: 'c-links', when: 'item.links.exists(l, l.type == "is blocked by")', require: 'has(item.assignee)', message: '{{item.key}} is blocked and unowned' },
      // No has(): fails at run time on every item without an estimate, which becomes a rule-error finding.
      { id: 'c-estimate-raw', when: 'item.typeCategory == "bug"', condition: 'item.estimate > 13.0', message: '{{item.key}} is a huge bug' },
    ],
  });
}

/** Two identical file stores holding the demo portfolio. */
function stores(tag: string) {
  const make = (name: string) => {
    const store = openStore(join(dir, `${tag}-${name}.db`));
    for (const page of generatePages({ source: 'demo', size: ITEMS, seed: 7, now: new Date(NOW) }, 0, 500)) {
      const items = page.items.map((raw) => WorkItem.parse(raw));
      store.transaction(() => {
        store.items.upsert(items, NOW);
        store.items.upsertSprints(page.sprints);
      });
    }
    return store;
  };
  return { serial: make('serial'), parallel: make('parallel') };
}

type Store = ReturnType<typeof openStore>;

function run(store: Store, setup: RuleSetup, threads: number, state: EvaluatorState, at = NOW) {
  const lines: string[] = [];
  const log = createLogger({ level: 'warn', format: 'json', write: (line) => lines.push(line) });
  const summary = evaluate({ store, ...setup, threads, state, clock: fixedClock(at), timezone: 'Europe/Berlin', log });
  const warnings = lines.map((l) => JSON.parse(l) as Record<string, unknown>).map(({ time: _time, ...rest }) => rest);
  return { summary, warnings };
}

/** Everything an evaluation leaves behind in the store, in storage order. */
function dump(store: Store) {
  return {
    findings: store.db.prepare('SELECT rowid, * FROM findings ORDER BY rowid').all(),
    events: store.db.prepare('SELECT * FROM finding_events ORDER BY id').all(),
  };
}

function comparable(summary: EvaluationSummary) {
  const { seconds: _seconds, threads: _threads, ...rest } = summary;
  return rest;
}

/** The kept facts per rule configuration (each in item order; a configuration without facts may have no map) and re-check times. */
function stateOf(state: EvaluatorState) {
  const facts = [...state.facts].filter(([, f]) => f.size > 0).sort(([a], [b]) => a.localeCompare(b));
  return { facts: facts.map(([signature, f]) => [signature, [...f]]), recheck: [...state.recheck] };
}

/** The same setup evaluated on one thread (`a`, store `serial`) and on two (`b`, store `parallel`), each store fresh. */
function both(tag: string, setup: RuleSetup, threads = 2) {
  const { serial, parallel } = stores(tag);
  const one = createEvaluatorState();
  const two = createEvaluatorState();
  const a = run(serial, setup, 1, one);
  const b = run(parallel, setup, threads, two);
  return { serial, parallel, one, two, a, b };
}

describe('parallel evaluation', () => {
  it('writes exactly the findings, events, facts and re-check times one thread does, full and then incremental', () => {
    const setup = ruleSetup(config());

    const { serial, parallel, one, two, a, b } = both('same', setup);

    expect(a.summary.threads).toBe(1);
    expect(b.summary.threads).toBe(2);
    expect(b.summary.items).toBe(ITEMS);
    expect(comparable(b.summary)).toEqual(comparable(a.summary));
    expect(a.summary.findings.opened).toBeGreaterThan(200);
    expect(dump(parallel)).toEqual(dump(serial));
    expect(stateOf(two)).toEqual(stateOf(one));
    expect([...two.facts.values()].reduce((n, f) => n + f.size, 0)).toBeGreaterThan(ITEMS);

    // The kept state serves the next (incremental, one-thread) run just as well.
    const changed = serial.items.iterate().next().value!;
    const later = '2026-11-21T10:00:00.000Z';
    for (const store of [serial, parallel]) store.transaction(() => store.items.upsert([{ ...changed, estimate: null, updatedAt: later }], later));
    const a2 = run(serial, setup, 1, one, '2026-11-21T10:05:00.000Z');
    const b2 = run(parallel, setup, 2, two, '2026-11-21T10:05:00.000Z');
    expect(b2.summary.mode).toBe('incremental');
    expect(comparable(b2.summary)).toEqual(comparable(a2.summary));
    expect(dump(parallel)).toEqual(dump(serial));
    serial.close();
    parallel.close();
  });

  it('reports a rule that throws on a thread as one thread does: rule-error findings and the same warnings', () => {
    const { serial, parallel, a, b } = both('errors', ruleSetup(config()));

    expect(b.summary.threads).toBe(2);
    expect(a.summary.ruleErrors).toBeGreaterThan(20);
    expect(b.summary.ruleErrors).toBe(a.summary.ruleErrors);
    // The first twenty failures are logged, in item order, then no more.
    expect(b.warnings).toEqual(a.warnings);
    expect(b.warnings).toHaveLength(20);
    expect(b.warnings[0]).toMatchObject({ level: 'warn', rule: 'c-estimate-raw', msg: 'Rule failed on a subject; skipped' });
    const errors = parallel.findings.list({ ruleId: 'rule-error' });
    expect(errors).toHaveLength(a.summary.ruleErrors);
    expect(errors[0]!.message).toMatch(/^rule c-estimate-raw failed on demo:\S+: No such key: estimate/);
    expect(dump(parallel)).toEqual(dump(serial));
    serial.close();
    parallel.close();
  });

  it('runs the runtime setup (objective-at-risk bound to the objectives) on threads too', () => {
    const { serial, parallel, one, two, a, b } = both('bound', boundRuleSetup(config()));

    expect(b.summary.threads).toBe(2);
    // The bound rule keeps a compact form of every matching item as its fact.
    const compact = [...two.facts].find(([signature]) => signature.startsWith('objective-at-risk|'))?.[1];
    expect(compact?.size).toBeGreaterThan(100);
    expect(stateOf(two)).toEqual(stateOf(one));
    expect(comparable(b.summary)).toEqual(comparable(a.summary));
    expect(dump(parallel)).toEqual(dump(serial));
    serial.close();
    parallel.close();
  });

  it('stays on one thread, with a warning, when a thread compiles a different setup', () => {
    const { serial, parallel } = stores('mismatch');
    const setup = ruleSetup(config());
    // The recipe describes another configuration than the plan being evaluated.
    const other = ruleSetup({ ...config(), rules: { 'estimate-required': 'off' } });
    const skewed: RuleSetup = { ...setup, recipe: other.recipe! };

    const a = run(serial, setup, 1, createEvaluatorState());
    const b = run(parallel, skewed, 2, createEvaluatorState());

    expect(b.summary.threads).toBe(1);
    expect(b.warnings[0]).toMatchObject({ msg: 'Item-pass threads could not start; evaluating on this thread', error: "the rule setup compiled on this thread differs from the main thread's" });
    expect(comparable(b.summary)).toEqual(comparable(a.summary));
    expect(dump(parallel)).toEqual(dump(serial));
    serial.close();
    parallel.close();
  });

  it('keeps small portfolios, in-memory stores and setups without a recipe on one thread', () => {
    const { serial } = stores('small');
    const setup = ruleSetup(config());
    const { recipe: _recipe, ...noRecipe } = setup;

    expect(run(serial, setup, 1, createEvaluatorState()).summary.threads).toBe(1);
    // Default thread count: 1,500 items are far below the 200,000 where threads pay for their start.
    expect(evaluate({ store: serial, ...setup, clock: fixedClock(NOW), timezone: 'UTC', log: createLogger({ level: 'silent' }) }).threads).toBe(1);
    expect(run(serial, noRecipe, 2, createEvaluatorState()).summary.threads).toBe(1);
    const memory = openStore(':memory:');
    expect(evaluate({ store: memory, ...setup, threads: 2, clock: fixedClock(NOW), timezone: 'UTC', log: createLogger({ level: 'silent' }) }).threads).toBe(1);
    serial.close();
  });
});

describe('a portfolio given in memory (backtest)', () => {
  it('is evaluated on this thread, never read from the store by item-pass threads', () => {
    const { parallel: store } = stores('portfolio');
    const setup = ruleSetup(config());
    const only = store.items.iterate().next().value as WorkItem;
    const seen = new Set<string>();

    const summary = evaluate({
      store,
      ...setup,
      threads: 2,
      clock: fixedClock(NOW),
      timezone: 'Europe/Berlin',
      log: createLogger({ level: 'error' }),
      portfolio: { items: () => [only], item: (key) => (key === only.key ? only : undefined), sprint: () => undefined, sprints: () => [], sprintCount: () => 0 },
      collect: (f) => seen.add(f.subject.key),
    });

    expect(setup.recipe).toBeDefined();
    expect(summary).toMatchObject({ items: 1, threads: 1 });
    expect([...seen].every((key) => key === only.key || !key.startsWith('demo:'))).toBe(true);
    store.close();
  });
});
