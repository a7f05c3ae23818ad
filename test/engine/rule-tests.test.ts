import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { formatResults, readCaseFile, runRuleTests } from '../../src/engine/rule-tests.ts';
import { ruleSetup } from '../../src/engine/setup.ts';

const DIR = fileURLToPath(new URL('../fixtures/rules/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/pmo-bot.js', import.meta.url));
const config = loadConfig(`${DIR}rules-test-config.yaml`, { schema: ConfigSchema, env: {} }).value;
const setup = ruleSetup(config);
const shortName = (file: string) => file.slice(DIR.length);

describe('rules test: admin-written cases', () => {
  it('passes cases whose expected findings match, comparing only the rules each case names', () => {
    const results = runRuleTests(`${DIR}rule-tests`, setup, 'UTC');

    expect(formatResults(results, shortName)).toBe(
      [
        'rule-tests/estimates.yaml',
        '  ✓ an unestimated story is flagged',
        '  ✓ tasks are not checked',
        '  ✓ custom rule on auth work',
        'rule-tests/sprints.yaml',
        '  ✓ the active sprint needs a goal',
        '4 cases: 4 passed, 0 failed',
      ].join('\n'),
    );
  });

  it('shows a diff of missing and unexpected findings, and problems with the case itself', () => {
    const results = runRuleTests(`${DIR}failing-tests`, setup, 'UTC');

    expect(results.map((r) => r.pass)).toEqual([false, false, false]);
    expect(formatResults(results, shortName)).toBe(
      [
        'failing-tests/wrong.yaml',
        '  ✗ expects the wrong item',
        '      missing     estimate-required  PAY-9',
        '      unexpected  estimate-required  PAY-2  (warning)  "PAY-2 "PAY-2" has no estimate"',
        '  ✗ a broken item',
        '      error       item PAY-3: statusCategory: Invalid option: expected one of "todo"|"in_progress"|"done"',
        '  ✗ names no rule',
        '      error       name the rules this case is about (in `expect` or `rules`)',
        '3 cases: 0 passed, 3 failed',
      ].join('\n'),
    );
  });

  it('reports a malformed case file at its line and column', () => {
    let error: unknown;
    try {
      readCaseFile(`${DIR}bad-case.yaml`);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.path} ${p.message}`)).toEqual(['3:5 cases[0].itmes unknown key "itmes" (did you mean "items"?)']);
  });

  it('ships passing cases for the example config', () => {
    const example = fileURLToPath(new URL('../../config/', import.meta.url));
    const exampleSetup = ruleSetup(loadConfig(`${example}pmo-bot.example.yaml`, { schema: ConfigSchema, env: {} }).value);

    const results = runRuleTests(`${example}rule-tests`, exampleSetup, 'Europe/Berlin');

    expect(results.filter((r) => !r.pass)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(4);
  });

  it('exits 0 when every case passes and 1 when one fails (CLI)', () => {
    const env = { ...process.env, LOG_LEVEL: 'silent' };
    const pass = spawnSync(process.execPath, [BIN, 'rules', 'test', `${DIR}rule-tests`, '--config', `${DIR}rules-test-config.yaml`], { encoding: 'utf8', env });
    const fail = spawnSync(process.execPath, [BIN, 'rules', 'test', `${DIR}failing-tests/wrong.yaml`, '--config', `${DIR}rules-test-config.yaml`], { encoding: 'utf8', env });

    expect(pass.status).toBe(0);
    expect(pass.stdout).toContain('4 cases: 4 passed, 0 failed');
    expect(fail.status).toBe(1);
    expect(fail.stdout).toContain('missing     estimate-required  PAY-9');
  });
});

describe('check --item', () => {
  it("gives every rule's verdict on one item and why", async () => {
    const { itemVerdicts } = await import('../../src/engine/item-verdicts.ts');
    const { evaluate } = await import('../../src/engine/evaluate.ts');
    const { openStore } = await import('../../src/store/index.ts');
    const { fixedClock } = await import('../../src/util/clock.ts');
    const { silentLogger } = await import('../../src/util/log.ts');
    const { inProgress } = await import('../helpers/builders.ts');
    const store = openStore(':memory:');
    const ada = { id: 'u1', name: 'Ada', email: 'ada@acme.example' };
    const items = ['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4'].map((k) => inProgress({ nativeKey: k, assignee: ada, components: k === 'PAY-1' ? ['auth'] : [] }));
    store.transaction(() => store.items.upsert(items, '2026-11-21T08:00:00.000Z'));
    evaluate({ store, ...setup, clock: fixedClock('2026-11-21T09:00:00.000Z'), timezone: 'UTC', log: silentLogger() });

    const verdicts = itemVerdicts(store, setup, items[0]!);

    const byRule = new Map(verdicts.map((v) => [v.ruleId, v]));
    expect(byRule.get('auth-review')).toMatchObject({ verdict: 'finding', severity: 'warning', state: 'open', message: 'PAY-1 needs a security review' });
    expect(byRule.get('wip-limit')).toMatchObject({ verdict: 'involved', message: 'Ada has 4 items in progress (limit 3)' });
    expect(byRule.get('estimate-required')).toMatchObject({ verdict: 'pass', message: 'passes' });
    expect(byRule.get('aging-wip')).toMatchObject({ verdict: 'off', severity: 'off' });
    expect(byRule.get('sprint-goal-set')).toMatchObject({ verdict: 'pass', message: 'passes (judged per sprint)' });
    store.close();
  });
});
