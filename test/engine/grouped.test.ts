import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generatePages } from '../../connectors/sample/generate.ts';
import { builtInRules } from '../../rules/api.ts';
import { builtInPresets } from '../../rules/presets/api.ts';
import { createEvaluatorState, evaluate } from '../../src/engine/evaluate.ts';
import { compileRulePlan } from '../../src/engine/rule-config.ts';
import { defineRule, type AnyRule } from '../../src/engine/rule.ts';
import { personKey } from '../../src/engine/helpers.ts';
import { WorkItem } from '../../src/model/work-item.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';
import { inProgress, makeWorkItem } from '../helpers/builders.ts';

const NOW = Date.parse('2026-11-21T09:00:00.000Z');
const at = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();
const plan = compileRulePlan(
  builtInRules,
  { extends: ['recommended'], rules: { 'wip-limit': ['warning', { perPerson: 2, perStatus: { 'In Progress': 12, 'In Review': 3 } }], 'person-overallocated': ['warning', { maxItems: 3, maxPoints: 8 }] } },
  builtInPresets,
);
const objectives = [
  { id: 'O1', title: 'Grow', match: { labels: ['growth'] } },
  { id: 'O2', title: 'Comply', match: { labels: ['compliance'] } },
];

/** Every live finding as stored: what an incremental run must leave exactly as a full run would. */
function live(store: Store): string[] {
  return store.findings
    .list()
    .filter((f) => f.state !== 'resolved')
    .map((f) => JSON.stringify([f.id, f.state, f.severity, f.message, f.evidence, f.owner?.email ?? null]))
    .sort();
}

function evaluateIn(store: Store, when: string, state?: ReturnType<typeof createEvaluatorState>) {
  return evaluate({ store, plan, objectives, clock: fixedClock(when), timezone: 'UTC', log: silentLogger(), ...(state ? { state } : {}) });
}

/** Deterministic pseudo-random numbers (a test that fails must fail the same way again). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('grouped aggregate rules in incremental runs', () => {
  it('leave every finding exactly as a full run over the same items would, change after change', () => {
    const store = openStore(':memory:');
    const items = new Map<string, WorkItem>();
    for (const page of generatePages({ source: 'demo', size: 1500, seed: 11, now: new Date(NOW) }, 0, 500)) {
      const parsed = page.items.map((raw) => WorkItem.parse(raw));
      for (const item of parsed) items.set(item.key, item);
      store.transaction(() => {
        store.items.upsert(parsed, at(-60));
        store.items.upsertSprints(page.sprints);
      });
    }
    const sprints = store.items.sprints();
    const state = createEvaluatorState();
    evaluateIn(store, at(0), state);
    const random = rng(5);
    const keys = [...items.keys()];
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const people = [...new Map([...items.values()].flatMap((i) => (i.assignee ? [[personKey(i.assignee), i.assignee] as const] : []))).values()];
    const removed = new Set<string>();

    for (let round = 1; round <= 5; round++) {
      const when = at(round * 20);
      const changed: WorkItem[] = [];
      const gone: string[] = [];
      for (let n = 0; n < 40; n++) {
        const key = pick(keys);
        if (removed.has(key)) continue;
        const item = items.get(key)!;
        const roll = random();
        let next: WorkItem;
        if (roll < 0.2) next = { ...item, status: 'Done', statusCategory: 'done', resolvedAt: random() < 0.7 ? when : null };
        else if (roll < 0.4) next = { ...item, status: pick(['In Progress', 'In Review']), statusCategory: 'in_progress', startedAt: item.startedAt ?? when, resolvedAt: null };
        else if (roll < 0.55) next = { ...item, assignee: random() < 0.2 ? null : pick(people) };
        else if (roll < 0.7) next = { ...item, parentKey: pick(keys), estimate: random() < 0.5 ? null : 5 };
        else if (roll < 0.85) next = { ...item, links: [{ type: 'is blocked by', targetKey: pick(keys) }], blocked: random() < 0.5 };
        else if (roll < 0.93) next = { ...item, status: 'To Do', statusCategory: 'todo', resolvedAt: null, sprint: random() < 0.5 ? null : pick(sprints) };
        else {
          removed.add(key);
          gone.push(item.nativeKey);
          continue;
        }
        next = { ...next, updatedAt: when };
        items.set(key, next);
        changed.push(next);
      }
      // Removals after the upserts: an item changed and then removed in one round stays removed.
      store.transaction(() => {
        store.items.upsert(changed, when);
        store.items.markRemoved('demo', gone, when);
      });
      const incremental = evaluateIn(store, when, state);
      expect(incremental.mode).toBe('incremental');

      // The same portfolio, evaluated in full in a fresh store at the same instant.
      const fresh = openStore(':memory:');
      fresh.transaction(() => {
        fresh.items.upsert([...items.values()].filter((i) => !removed.has(i.key)), when);
        fresh.items.upsertSprints(sprints);
      });
      evaluateIn(fresh, when);
      expect(live(store)).toEqual(live(fresh));
      // Most findings stand untouched: only the changed items' and the touched groups' are re-derived
      // (judging every aggregate group again re-derived 283 of 615 here).
      expect(incremental.findings.ongoing).toBeLessThan(incremental.findings.open * 0.3);
      fresh.close();
    }
    store.close();
  });

  it('never see an item removed at its source when they look one up', () => {
    const store = openStore(':memory:');
    const state = createEvaluatorState();
    const waiting = inProgress({ nativeKey: 'PAY-1', links: [{ type: 'is blocked by', targetKey: 'test:PAY-2' }] });
    const blocker = makeWorkItem({ nativeKey: 'PAY-2' });
    const waits = () => store.findings.list({ state: 'open', ruleId: 'blocked-by-open-dependency' }).map((f) => f.message);
    store.transaction(() => store.items.upsert([waiting, blocker], at(-10)));
    evaluateIn(store, at(0), state);
    const before = waits();

    // The blocker is deleted in Jira: the sync marks it removed, and the wait is over.
    store.transaction(() => store.items.markRemoved('test', ['PAY-2'], at(5)));
    const incremental = evaluateIn(store, at(10), state);
    const afterIncremental = waits();
    const full = evaluateIn(store, at(20));

    expect(before).toEqual(['PAY-1 "Story PAY-1" waits for PAY-2 (To Do), still open']);
    expect(incremental).toMatchObject({ mode: 'incremental', findings: { resolved: 1 } });
    expect(afterIncremental).toEqual([]);
    expect(full.mode).toBe('full');
    expect(waits()).toEqual([]);
    store.close();
  });

  it('judge only the groups a change touched, and every group again after done() failed', () => {
    const judged: number[] = [];
    let broken = false;
    const perPerson = defineRule({
      meta: { ...builtInRules[0]!.meta, id: 'per-person', options: z.strictObject({}), messages: { x: '{{n}} open' } },
      create: (ctx) => ({
        collect: (item: WorkItem) => (item.assignee && item.statusCategory !== 'done' ? personKey(item.assignee) : undefined),
        groups: (_key: string, person: string) => person,
        done: (facts: ReadonlyMap<string, string>) => {
          judged.push(facts.size);
          if (broken) throw new Error('upstream down');
          const counts = new Map<string, number>();
          for (const person of facts.values()) counts.set(person, (counts.get(person) ?? 0) + 1);
          for (const [person, n] of counts) ctx.report({ messageId: 'x', subject: { kind: 'person', key: person }, data: { n } });
        },
      }),
    });
    const onlyPlan = compileRulePlan([perPerson as unknown as AnyRule], { extends: [], rules: { 'per-person': 'warning' } }, builtInPresets);
    const store = openStore(':memory:');
    const state = createEvaluatorState();
    const run = (when: string) => evaluate({ store, plan: onlyPlan, clock: fixedClock(when), timezone: 'UTC', log: silentLogger(), state });
    const ada = { id: 'u1', name: 'Ada', email: 'ada@acme.example' };
    const bob = { id: 'u2', name: 'Bob', email: 'bob@acme.example' };
    const cy = { id: 'u3', name: 'Cy', email: 'cy@acme.example' };
    const messages = () => store.findings.list({ state: 'open' }).map((f) => `${f.subject.key} ${f.message}`).sort();
    store.transaction(() =>
      store.items.upsert(
        [inProgress({ nativeKey: 'A-1', assignee: ada }), inProgress({ nativeKey: 'A-2', assignee: ada }), inProgress({ nativeKey: 'B-1', assignee: bob }), inProgress({ nativeKey: 'C-1', assignee: cy })],
        at(-10),
      ),
    );

    run(at(0));
    const unchanged = run(at(10));
    // A-2 moves from Ada to Bob: Ada's and Bob's groups are judged (3 facts), Cy's is not.
    store.transaction(() => store.items.upsert([inProgress({ nativeKey: 'A-2', assignee: bob, updatedAt: at(15) })], at(15)));
    const moved = run(at(20));
    const afterMove = messages();
    // Cy's item is done: her group is judged and its finding resolved.
    store.transaction(() => store.items.upsert([makeWorkItem({ nativeKey: 'C-1', assignee: cy, status: 'Done', statusCategory: 'done', updatedAt: at(25) })], at(25)));
    const closed = run(at(30));
    broken = true;
    store.transaction(() => store.items.upsert([inProgress({ nativeKey: 'A-1', assignee: ada, updatedAt: at(35) })], at(35)));
    run(at(40));
    broken = false;
    const healed = run(at(50));

    expect(judged).toEqual([4, 3, 0, 1, 3]);
    expect(unchanged).toMatchObject({ mode: 'incremental', items: 0, findings: { resolved: 0, open: 3 } });
    expect(moved).toMatchObject({ mode: 'incremental', findings: { resolved: 0 } });
    expect(afterMove).toEqual(['ada@acme.example 1 open', 'bob@acme.example 2 open', 'cy@acme.example 1 open']);
    expect(closed.findings.resolved).toBe(1);
    // After the failed run, every group is judged again (3 facts) and the rule error resolved.
    expect(healed).toMatchObject({ mode: 'incremental', findings: { open: 2 } });
    expect(messages()).toEqual(['ada@acme.example 1 open', 'bob@acme.example 2 open']);
  });
});
