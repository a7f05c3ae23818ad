import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { ParseResult } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generatePages } from '../../connectors/sample/generate.ts';
import { CelScope, compileExpression } from '../../src/cel/compile.ts';
import { celItem, createCelEnvironments, setCelDay, type CelEnvironments } from '../../src/cel/environment.ts';
import { localDate, localMidnight } from '../../src/engine/helpers.ts';
import { WorkItem } from '../../src/model/work-item.ts';
import { benchConfig } from '../bench/cases/rules-setup.ts';
import { makeWorkItem } from '../helpers/builders.ts';

/**
 * Compiled CEL must give exactly the interpreter's result: the same value, or an error with the
 * same message (it becomes a rule-error finding's text). The reference here is a separate
 * environment whose expressions never went through the compiler.
 */

const NOW = new Date('2026-11-21T09:00:00.000Z');
const ZONE = 'Europe/Berlin';

function environment(): CelEnvironments {
  const cel = createCelEnvironments();
  const today = localDate(NOW, ZONE);
  setCelDay(cel.day, localMidnight(today, ZONE), today, ZONE);
  return cel;
}

const customOf = (path: string): string[] => {
  const doc = parseYaml(readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8')) as { custom?: Array<Record<string, unknown>> };
  return (doc.custom ?? []).flatMap((c) => [c['when'], c['require'], c['condition']]).filter((e): e is string => typeof e === 'string');
};

const CONFIG_EXPRESSIONS = [
  ...benchConfig(':memory:').custom.flatMap((c) => [c.when, c.require, c.condition]).filter((e): e is string => e !== undefined),
  ...customOf('../../config/pmo-bot.example.yaml'),
  ...customOf('../fixtures/rules/custom-ok.yaml'),
  ...customOf('../fixtures/rules/rules-test-config.yaml'),
  ...customOf('../fixtures/rules/bad-rules.yaml'),
  // test/cel/custom-rule.test.ts, the budget test
  'item.labels.all(l, l.size() > 0) && item.title.matches("^(a|b|c)*$") == false',
];

/** Errors, absent fields, nulls, int vs double, absorption, macros, `in`, timestamps, conversions. */
const TRICKY = [
  'item.estimate > 3.0', 'item.estimate > 3', 'item.estimate == 3', 'item.estimate == 3.0', 'item.estimate != 5', 'item.estimate >= item.fields.n',
  'item.fields.n == 3', 'item.fields.n > 2', 'item.fields.n < 2.5', 'item.fields.n == item.estimate', 'item.fields.n <= 3u',
  'item.fields.s < "b"', 'item.fields.s > 1', 'item.fields.s == item.fields.n', 'item.fields.s != 1', 'item.fields.bool == true', 'item.fields.bool', 'item.fields.bool < true',
  'item.fields.nul == null', 'item.fields.nul != null', 'item.fields.nul < 1', 'item.fields.nul == 0', 'item.sprint == null', 'null == item.fields.nul',
  'item.fields.big > 1e299', 'item.fields.neg < -1.5', '-item.estimate < 0.0', '-item.fields.s == ""', '-(size(item.labels)) <= 0',
  'has(item.estimate)', 'has(item.fields.nul)', 'has(item.fields.nested.a)', 'has(item.fields.nested.a.b)', 'has(item.fields.nested.x.b)', 'has(item.fields.s.x)',
  'has(item.sprint.endDate)', 'has(item.assignee.email)', 'has(item.fields.arr.x)', 'has(item.fields.constructor)', 'has(item.createdAt.x)', 'has(item.nope)',
  'item.fields.arr.exists(x, x == 1)', 'item.fields.arr.exists(x, x > 0)', 'item.fields.arr.all(x, x > 0)', 'item.fields.arr.all(x, x == 1)',
  'item.fields.emptyArr.all(x, x > 0)', 'item.fields.emptyArr.exists(x, x > 0)', 'item.fields.nested.exists(k, k == "a")', 'item.fields.s.exists(c, c == "a")',
  'item.fields.arr.exists(x, x)', 'item.fields.arr.all(x, x.y == 1)', 'item.labels.exists(l, l.startsWith("cust"))', 'item.links.exists(l, l.type == "is blocked by")',
  'item.links.all(l, has(l.targetKey))', 'item.labels.exists(l, item.labels.exists(m, m != l))', 'item.labels.exists(item, item == "growth")', '["a", "b"].exists(x, x == item.type)',
  'item.labels.exists_one(l, l == "growth")', 'item.labels.map(l, l + "!").size() > 0', 'item.labels.filter(l, l != "x").size() >= 0',
  '1 in item.fields.arr', '"a" in item.fields.arr', '1.0 in item.fields.arr', 'item.fields.n in [1, 2, 3]', 'item.fields.n in item.fields.arr', '"a" in item.fields.nested',
  '"zz" in item.fields.nested', 'item.type in ["Bug", "Story"]', 'item.fields.n in ["3"]', 'item.fields.s in item.fields.nested', '"x" in item.title', 'null in item.labels',
  '"customer-bug" in item.classes', 'item.key in item.fields.nested', '"a" in item.fields.mixed',
  'item.title.size() < 8', 'size(item.labels) > 0', 'size(item.fields.nested) == 1', 'item.fields.unicode.size() == 2', 'size(item.fields.n) > 0', 'size(item) > 3',
  'item.fields.emptyObj.size() == 0', 'size(item.fields.mixed) == 2',
  'string(item.fields.n) == "3"', 'string(item.estimate).size() > 0', 'string(item.fields.nul) == "null"', 'string(item.createdAt) == "x"', 'string(item.fields.big).endsWith("300")',
  'string(size(item.labels)) == "0"', 'string(item.blocked) == "false"', 'string(item.fields.s).endsWith("c")',
  'int(item.fields.s) > 0', 'int(item.estimate) >= 3', 'int(item.fields.numstr) == 42', 'double(item.fields.s) > 0.0', 'double(item.fields.numstr) == 42.0', 'double(size(item.labels)) >= 0.0',
  'daysSince(item.createdAt) > 30', 'daysUntil(item.dueDate) < 0', 'daysSince(item.fields.s) > 1', 'daysSince(item.updatedAt) == 2', 'daysUntil(item.sprint.endDate) >= 0',
  'item.dueDate < item.sprint.endDate', 'item.createdAt < item.updatedAt', 'item.createdAt == item.createdAt', 'item.createdAt != item.updatedAt', 'item.createdAt == item.fields.s',
  'item.createdAt > timestamp("2026-01-01T00:00:00Z")', 'item.createdAt < timestamp("bad")', 'item.createdAt < 5', 'item.createdAt <= timestamp(1700000000)',
  'item.updatedAt - item.createdAt > duration("24h")', 'item.fields.n + 1.0 > 3.0', 'item.fields.n + 1 > 3', 'item.estimate * 2.0 >= 10.0', 'item.estimate / 0.0 > 1.0',
  'size(item.labels) / 0 > 1', 'size(item.labels) % 2 == 0', 'size(item.labels) + 9223372036854775807 > 0', 'size(item.labels) - 1 < 5', 'item.fields.n % 2.0 == 1.0',
  'item.title + "!" == item.key', 'item.labels + ["x"] == ["x"]', 'item.fields.s + 1 == 2',
  '!item.blocked', '!item.fields.s', '!has(item.estimate)', 'item.blocked ? item.estimate > 1.0 : false', 'item.fields.s ? true : false', 'has(item.priority) ? item.priority == "High" : item.blocked',
  'item.estimate > 100.0 && item.fields.missing == 1', 'item.fields.missing == 1 && item.estimate > 100.0', 'item.fields.missing == 1 || item.blocked', 'item.blocked || item.fields.missing == 1',
  'item.fields.missing == 1 || item.fields.other == 2', 'item.fields.missing == 1 && item.fields.other == 2', 'item.fields.s && false', 'item.fields.s && true', 'item.fields.s || true', 'true && item.fields.s',
  'false || item.fields.n', '(item.fields.missing == 1 || true) && (item.fields.other == 2 && false)',
  'item["title"].size() > 3', 'item.fields["s"] == "abc"', 'item.fields.arr[0] == 1', 'item.fields.arr[5] == 1', 'item.fields.arr[-1] == 1', 'item.labels[0] == "growth"',
  'item.fields[item.fields.s] == 1', 'item.fields.arr[1.0] == "a"', 'item[item.fields.s] == 1', 'item.fields.s[0] == "a"', 'item.fields.nested["a"].b == 1',
  'item.title.contains("a") || item.title.endsWith("z")', 'item.title.matches("^[A-Z]")', 'item.title.matches("(")', 'item.title.lowerAscii().startsWith("a")',
  'item.title.upperAscii().contains("A")', 'item.title.trim() == item.title', 'item.title.contains(1)', 'item.fields.n.contains("a")', 'item.fields.arr.contains(1)',
  'item.labels == ["growth"]', 'item.fields.nested == {"a": {"b": 1}}', 'item.assignee == item.assignee', 'item.fields.emptyArr == []',
  'item.fields.constructor == "weird"', 'item.fields.proto.x == 1', 'item.assignee.name.startsWith("A")', 'item.assignee.email.endsWith("example")',
  'item.constructor == 1', 'has(item.toString)', 'item.title.toString() == ""', 'toString(item.title) == ""', 'item["__proto__"] == 1', 'dyn(item.estimate) > 1.0', 'dyn(item.fields.arr).size() >= 0', 'dyn(item.fields.nested) == item.fields.nested', 'type(item.estimate) == double', 'item.labels.size() > 0 && item.labels[0].size() > 2', 'item.fields.deep.a.b.c == 1',
];

const EXPRESSIONS = [...new Set([...CONFIG_EXPRESSIONS, ...TRICKY])];

function demoItems(n: number): WorkItem[] {
  const items: WorkItem[] = [];
  for (const page of generatePages({ source: 'demo', size: n, seed: 7, now: NOW }, 0, 1000)) {
    for (const raw of page.items) items.push(WorkItem.parse(raw));
  }
  return items.slice(0, n);
}

/** Hand-built items for the edges: absent values, odd field values, mixed lists, unicode. */
function edgeItems(): WorkItem[] {
  const fields: Array<Record<string, unknown>> = [
    {},
    { n: 3, s: 'abc', nul: null, bool: true, big: 1e300, neg: -2.5, arr: [1, 'a'], mixed: { a: 1, b: 'x' }, nested: { a: { b: 1 } }, emptyArr: [], emptyObj: {}, unicode: '😀x', numstr: '42', deep: { a: { b: { c: 1 } } } },
    { n: 3.5, s: 'a', arr: ['a', 1], nested: { a: null }, emptyArr: [null], mixed: {}, numstr: ' 42', unicode: '\ud800x' },
    { n: -0, s: '', arr: [2, 3], nested: { x: { b: 2 } }, numstr: '1e3', constructor: 'weird', deep: { a: 1 } },
    { n: Number.NaN, s: 'zzz', arr: [], nested: {}, bool: false, numstr: 'nan', mixed: { a: [1] } },
    { n: 1, s: 'b', arr: [[1], { a: 1 }], nested: { a: { b: 1, c: 2 } }, emptyArr: [1.5], numstr: '99999999999999999999' },
    { n: 'three', s: 1, arr: 'x', nested: ['a'], proto: { x: 1 }, mixed: { '': 1 } },
    // Not JSON, so never from a connector, but the compiled code must still hand them to the interpreter.
    { n: new Map([['a', 1]]), s: new Set(['a']), arr: [undefined, 1], nested: { a: undefined }, bool: new Uint8Array([1]), mixed: { a: () => 1 }, deep: new Date(0) },
  ];
  const items: WorkItem[] = [];
  for (const [i, f] of fields.entries()) {
    items.push(makeWorkItem({ nativeKey: `E-${i}a`, fields: f as WorkItem['fields'] }));
    items.push(
      makeWorkItem({
        nativeKey: `E-${i}b`,
        fields: f as WorkItem['fields'],
        estimate: null,
        assignee: i % 2 === 0 ? null : { id: 'u2', name: 'Bob', email: null },
        priority: null,
        description: null,
        team: null,
        labels: i % 2 === 0 ? ['growth', 'customer-reported'] : [],
        components: ['auth'],
        title: i % 3 === 0 ? 'ab' : 'Übergröße 😀 Ticket',
        dueDate: '2026-11-20',
        startedAt: '2026-11-01T10:00:00.000Z',
        resolvedAt: i % 2 === 0 ? '2026-11-02T10:00:00.000Z' : null,
        statusCategory: i % 2 === 0 ? 'done' : 'in_progress',
        blocked: i % 2 === 1,
        sprint: i % 3 === 2 ? null : { id: 's1', name: 'Sprint 1', state: 'active', startDate: i % 3 === 0 ? null : '2026-11-16T08:00:00.000Z', endDate: i % 3 === 0 ? null : '2026-11-30T17:00:00.000Z' },
        links: i % 2 === 0 ? [{ type: 'is blocked by', targetKey: 'test:X-1', direction: 'inward' } as WorkItem['links'][number]] : [],
      }),
    );
  }
  return items;
}

type Outcome = { value: unknown } | { error: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (err) {
    const e = err as Error;
    return { error: `${e.name}: ${e.message}` };
  }
}

/** Counts how often the compiled evaluator handed an evaluation to the interpreter. */
function counted(parsed: ParseResult): { parsed: ParseResult; calls: () => number } {
  let calls = 0;
  const wrapped = Object.assign((context?: Record<string, unknown>) => {
    calls++;
    return parsed(context);
  }, { ast: parsed.ast, check: () => parsed.check() });
  return { parsed: wrapped as ParseResult, calls: () => calls };
}

describe('compiled CEL gives exactly the interpreter result', () => {
  const items = [...demoItems(2000), ...edgeItems()];
  const classesOf = (item: WorkItem): string[] => (item.labels.includes('customer-reported') ? ['customer-bug'] : []);

  const cel = environment();
  const reference = environment();
  const scope = new CelScope(cel.day);
  const parsable = EXPRESSIONS.filter((e) => {
    try {
      reference.fast.parse(e);
      return true;
    } catch {
      return false; // a parse error never reaches evaluation (bad-rules.yaml has some)
    }
  });
  let compiledCount = 0;

  // One test per expression of the bench, the example config, the CEL tests and the tricky list, over every item.
  it.each(parsable)('%s', (expression) => {
    const interpreted = reference.fast.parse(expression);
    const run = compileExpression(cel.fast.parse(expression), cel.functions);
    if (run.compiled) compiledCount++;
    const mismatches: string[] = [];
    for (const item of items) {
      const classes = classesOf(item);
      scope.reset(item, classes);
      const got = outcome(() => run(scope));
      const want = outcome(() => interpreted({ item: celItem(item, classes, reference.day) }));
      if (!isDeepStrictEqual(got, want) && mismatches.length < 5) mismatches.push(`on ${item.key}: compiled ${JSON.stringify(got, bigints)} interpreted ${JSON.stringify(want, bigints)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('compiles most of those expressions', () => {
    expect(parsable.length).toBeGreaterThan(200);
    expect(compiledCount).toBeGreaterThan(parsable.length * 0.85);
  });

  it('compiles every bench and example rule, which then judges the demo items without the interpreter', () => {
    const cel = environment();
    const scope = new CelScope(cel.day);
    const rules = [...benchConfig(':memory:').custom, ...(parseYaml(readFileSync(fileURLToPath(new URL('../../config/pmo-bot.example.yaml', import.meta.url)), 'utf8')) as { custom: Array<{ when?: string; require?: string; condition?: string }> }).custom];
    expect(rules.length).toBe(12);
    let violations = 0;
    for (const rule of rules) {
      // As the rule judges: the test only runs where `when` holds.
      const when = rule.when === undefined ? null : counted(cel.fast.parse(rule.when));
      const test = counted(cel.fast.parse((rule.require ?? rule.condition)!));
      const runWhen = when === null ? null : compileExpression(when.parsed, cel.functions);
      const runTest = compileExpression(test.parsed, cel.functions);
      expect([runWhen?.compiled ?? true, runTest.compiled], rule.when).toEqual([true, true]);
      for (const item of items.slice(0, 2000)) {
        scope.reset(item, classesOf(item));
        if (runWhen === null || runWhen(scope) === true) if (runTest(scope) === (rule.require === undefined)) violations++;
      }
      expect([when?.calls() ?? 0, test.calls()], rule.when).toEqual([0, 0]);
    }
    expect(violations).toBeGreaterThan(50);
  });
});

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}

describe('fallback to the interpreter', () => {
  const cel = environment();
  const scope = new CelScope(cel.day);
  const evaluate = (expression: string, item: WorkItem) => {
    const { parsed, calls } = counted(cel.fast.parse(expression));
    const run = compileExpression(parsed, cel.functions);
    scope.reset(item, []);
    return { compiled: run.compiled, result: outcome(() => run(scope)), interpreterCalls: calls() };
  };

  it('leaves expressions outside the compiled subset to the interpreter', () => {
    for (const expression of ['item.labels.map(l, l + "!").size() > 0', 'item.labels.exists_one(l, l == "x")', 'item.fields == {"a": 1}', 'type(item.estimate) == double', 'item.fields.n == 3u']) {
      const r = evaluate(expression, makeWorkItem({ fields: { n: 3, a: 1 } }));
      expect(r.compiled, expression).toBe(false);
      expect(r.interpreterCalls, expression).toBe(1);
    }
  });

  it('hands one evaluation to the interpreter when a value is outside what compiled code models', () => {
    const r = evaluate('item.labels == ["growth"]', makeWorkItem({ labels: ['growth'] }));
    expect(r).toEqual({ compiled: true, result: { value: true }, interpreterCalls: 1 });
    const plain = evaluate('item.labels.size() == 1', makeWorkItem({ labels: ['growth'] }));
    expect(plain).toEqual({ compiled: true, result: { value: true }, interpreterCalls: 0 });
  });

  it('reports the interpreter error, message and position included', () => {
    const r = evaluate('item.typeCategory == "story" && item.estimate > 3.0', makeWorkItem({ estimate: null }));
    expect(r.interpreterCalls).toBe(1);
    const reference = environment().fast.parse('item.typeCategory == "story" && item.estimate > 3.0');
    expect(r.result).toEqual(outcome(() => reference({ item: celItem(makeWorkItem({ estimate: null }), [], cel.day) })));
    expect(r.result).toEqual({ error: expect.stringMatching(/^EvaluationError: No such key: estimate\n\n> {4}1 \| item\.typeCategory == "story" && item\.estimate > 3\.0\n +\^$/) });
    const overload = evaluate('item.title > 1', makeWorkItem());
    expect(overload.result).toEqual({ error: expect.stringMatching(/^EvaluationError: no such overload: dyn<string> > int/) });
  });

  it('absorbs errors in && and || on both sides without the interpreter, like CEL', () => {
    const item = makeWorkItem({ estimate: null, blocked: false });
    expect(evaluate('item.estimate > 3.0 && item.blocked', item)).toEqual({ compiled: true, result: { value: false }, interpreterCalls: 0 });
    expect(evaluate('item.blocked && item.estimate > 3.0', item)).toEqual({ compiled: true, result: { value: false }, interpreterCalls: 0 });
    expect(evaluate('item.estimate > 3.0 || !item.blocked', item)).toEqual({ compiled: true, result: { value: true }, interpreterCalls: 0 });
    expect(evaluate('item.labels.exists(l, l.x == 1) || true', item)).toEqual({ compiled: true, result: { value: true }, interpreterCalls: 0 });
    const failing = evaluate('item.estimate > 3.0 && !item.blocked', item);
    expect(failing.result).toEqual({ error: expect.stringMatching(/^EvaluationError: No such key: estimate/) });
    expect(failing.interpreterCalls).toBe(1);
  });

  it('compares int with double numerically and mixed types as unequal, as the interpreter does', () => {
    const item = makeWorkItem({ estimate: 3, fields: { s: '3' } });
    expect(evaluate('item.estimate == 3', item).result).toEqual({ value: true });
    expect(evaluate('item.estimate < 4', item).result).toEqual({ value: true });
    expect(evaluate('item.fields.s == 3', item).result).toEqual({ value: false });
    expect(evaluate('item.fields.s < 3', item).result).toEqual({ error: expect.stringMatching(/^EvaluationError: no such overload/) });
  });
});
