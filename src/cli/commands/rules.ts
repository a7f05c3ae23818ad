import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { displayFile } from '../../config/errors.ts';
import { suggest } from '../../config/suggest.ts';
import { explainRule, presetsOf } from '../../engine/explain.ts';
import type { AnyRule } from '../../engine/rule.ts';
import { formatResults, runRuleTests } from '../../engine/rule-tests.ts';
import { PmoError } from '../../util/errors.ts';
import { systemClock } from '../../util/clock.ts';
import { ruleSetup } from '../../engine/setup.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, intFlag, str, type Command, type ParsedArgs } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
import { backtest, type BacktestReport } from '../../engine/backtest.ts';
import { formatInZone } from '../../notify/time.ts';
import { print, printJson, table } from '../output.ts';

/** `rules list --json` entry (contract: fields may be added). */
export interface RuleListing {
  id: string;
  category: string;
  scope: string;
  defaultSeverity: string;
  presets: string[];
  description: string;
  fix: AnyRule['meta']['fix'] | null;
  /** `built-in`, or `custom` for the config's CEL rules. */
  origin: 'built-in' | 'custom';
}

export function listing(rule: AnyRule, origin: RuleListing['origin'] = 'built-in'): RuleListing {
  return {
    id: rule.meta.id,
    category: rule.meta.category,
    scope: rule.meta.scope,
    defaultSeverity: rule.meta.defaultSeverity,
    presets: origin === 'custom' ? [] : presetsOf(rule).map((p) => p.id),
    description: rule.meta.description,
    fix: rule.meta.fix ?? null,
    origin,
  };
}

/** Where `rules test` looks by default: `rule-tests/` beside the config file. */
export function defaultTestDir(configPath: string): string {
  return join(dirname(configPath), 'rule-tests');
}

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'the rule library: list the rules, explain one, or run your rule test cases',
  usage: 'pmo-bot rules list [--json] | pmo-bot rules explain ID | pmo-bot rules test [DIR|FILE] | pmo-bot rules backtest [--weeks N] [--rule ID] [--json]',
  details: [
    'list --json prints an array of {id, category, scope, defaultSeverity, presets, description, fix, origin}',
    '(built-in rules, then the custom rules of the config).',
    'explain shows what a rule checks and why, its options with defaults, its presets and an example',
    'finding on the demo portfolio.',
    'test runs the YAML cases in DIR (default: rule-tests/ beside the config) against the configured',
    'rules and exits 1 when a case fails.',
    'backtest rebuilds the stored portfolio as it stood at the end of each of the last N weeks (default 8; status',
    'transitions, sprint membership and field changes the connectors keep) and shows how many findings each rule',
    'of --config would have raised then, and how many of those were new that week; nothing is recorded or sent.',
    '--json prints {weeks:[{at, items, findings, bySeverity}], rules:[{ruleId, category, counts, opened, mean, max}]}.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, weeks: { type: 'string' }, rule: { type: 'string' } },
  async run(args) {
    const [sub, id] = args.positionals;
    if (sub === 'list') {
      const cli = loadCliConfig({ config: str(args, 'config') });
      const setup = ruleSetup(cli.config);
      const customIds = new Set(cli.config.custom.map((c) => c.id));
      const rows = setup.plan.library.map((r) => listing(r, customIds.has(r.meta.id) ? 'custom' : 'built-in'));
      if (flag(args, 'json')) printJson(rows);
      else print(table(['id', 'category', 'scope', 'default', 'presets', 'description'], rows.map((r) => [r.id, r.category, r.scope, r.defaultSeverity, r.origin === 'custom' ? '(custom)' : r.presets.join(', ') || '—', r.description])));
      return 0;
    }
    if (sub === 'explain') {
      const cli = loadCliConfig({ config: str(args, 'config') });
      const library = ruleSetup(cli.config).plan.library;
      const rule = library.find((r) => r.meta.id === id);
      if (!rule) {
        const guess = id ? suggest(id, library.map((r) => r.meta.id)) : undefined;
        throw new PmoError('USAGE', `unknown rule "${id ?? ''}"${guess ? ` (did you mean "${guess}"?)` : ''}; run \`pmo-bot rules list\``);
      }
      print(explainRule(rule, systemClock.now(), cli.config.objectives));
      return 0;
    }
    if (sub === 'test') {
      const cli = loadCliConfig({ config: str(args, 'config') });
      const dir = id ?? defaultTestDir(cli.configPath);
      if (!existsSync(dir)) throw new PmoError('USAGE', `no rule tests at ${dir}: write YAML cases there (see docs/rules.md) or pass a directory`);
      const results = runRuleTests(dir, ruleSetup(cli.config), cli.config.timezone);
      if (flag(args, 'json')) printJson(results);
      else print(formatResults(results, displayFile));
      return results.every((r) => r.pass) ? 0 : 1;
    }
    if (sub === 'backtest') return runBacktest(args);
    throw new PmoError('USAGE', 'rules needs a subcommand: list, explain ID, test [DIR] or backtest [--weeks N]');
  },
};

async function runBacktest(args: ParsedArgs): Promise<number> {
  const weeks = intFlag(args, 'weeks', { min: 1, max: 52, fallback: 8 });
  const cli = loadCliConfig({ config: str(args, 'config') });
  const rt = openRuntime(cli);
  try {
    // The runtime's setup: its library carries the config's objectives into objective-at-risk.
    const setup = rt.ruleSetup;
    const ruleId = str(args, 'rule');
    if (ruleId !== undefined && !setup.plan.library.some((r) => r.meta.id === ruleId)) {
      const guess = suggest(ruleId, setup.plan.library.map((r) => r.meta.id));
      throw new PmoError('USAGE', `unknown rule "${ruleId}"${guess ? ` (did you mean "${guess}"?)` : ''}; run \`pmo-bot rules list\``);
    }
    const report = backtest(rt.store, setup, { weeks, now: rt.clock.now(), timezone: cli.config.timezone, log: rt.log, ruleId });
    if (flag(args, 'json')) printJson(report);
    else if (report.weeks.every((w) => w.items === 0)) print('No items stored yet: run `pmo-bot sync` first.');
    else print(renderBacktest(report, cli.config.timezone));
    return 0;
  } finally {
    rt.store.close();
  }
}

function renderBacktest(report: BacktestReport, timezone: string): string {
  const heads = report.weeks.map((w, i) => (i === report.weeks.length - 1 ? 'now' : formatInZone(new Date(w.at), timezone).slice(5, 10)));
  const rows = report.rules.map((r) => [r.ruleId, ...r.counts.map((c, i) => (i > 0 && r.opened[i] ? `${c} (+${r.opened[i]})` : String(c))), String(r.mean)]);
  rows.push(['all rules', ...report.weeks.map((w) => String(w.findings)), '']);
  rows.push(['items', ...report.weeks.map((w) => String(w.items)), '']);
  return (
    'Findings each rule would have raised at the end of each week (+ new that week); nothing was recorded or sent.\n' +
    table(['rule', ...heads, 'mean'], rows) +
    'Rebuilt from status transitions and the history of sprint, estimate, assignee, due date, priority, labels, flag and parent;\n' +
    'text and custom fields are as they are now.'
  );
}
