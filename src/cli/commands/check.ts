import { evaluate } from '../../engine/evaluate.ts';
import { recordHealth } from '../../engine/health.ts';
import type { Finding } from '../../model/finding.ts';
import { displayKey } from '../../notify/blocks/alerts.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command, type ParsedArgs } from '../command.ts';
import { BUNDLED_CONFIG, loadCliConfig, openRuntime } from '../context.ts';
import { resolveConfigPath } from '../../config/load.ts';
import { diffConfigs } from '../../engine/config-diff.ts';
import { ruleSetup } from '../../engine/setup.ts';
import type { ReportedFinding } from '../../store/findings.ts';
import { printJson, print, table } from '../output.ts';
import { itemVerdicts } from '../../engine/item-verdicts.ts';
import { PmoError } from '../../util/errors.ts';
import type { WorkItem } from '../../model/work-item.ts';
import type { Store } from '../../store/index.ts';

/** `PAY-12` for `demo:PAY-12` when exactly one source has that key. */
function findByNativeKey(store: Store, nativeKey: string): WorkItem | undefined {
  const keys = store.db.prepare('SELECT key FROM work_items WHERE native_key = ? AND removed_at IS NULL LIMIT 2').pluck().all(nativeKey) as string[];
  return keys.length === 1 ? store.items.get(keys[0]!) : undefined;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'evaluate the rules over the stored items and print the open findings',
  usage: 'pmo-bot check [--item KEY] [--json] | pmo-bot check --config proposed.yaml --diff [--against current.yaml] [--json]',
  details:
    'Records the findings (new, ongoing, resolved) and the health per project, team and person like a worker cycle, without syncing or notifying.\n--json prints an array of Finding.\n' +
    '--item KEY (demo:PAY-12, or PAY-12 when unambiguous) prints every rule\'s verdict on that item and why; with --json an array of {ruleId, severity, verdict, state, message, options}.\n' +
    '--diff evaluates the stored items under the current config (--against, else the usual one) and under --config, records and notifies nothing, and prints the findings the change adds, removes or re-grades; --json: {added, removed, changed}.',
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, item: { type: 'string' }, diff: { type: 'boolean' }, against: { type: 'string' } },
  async run(args) {
    if (flag(args, 'diff')) return runDiff(args);
    const cli = loadCliConfig({ config: str(args, 'config') });
    const rt = openRuntime(cli, { lock: true });
    try {
      const summary = evaluate({
        store: rt.store,
        ...rt.ruleSetup,
        clock: rt.clock,
        timezone: cli.config.timezone,
        log: rt.log,
      });
      recordHealth(rt.store, cli.config.health, summary.runId, rt.clock.now().toISOString());
      const itemKey = str(args, 'item');
      if (itemKey !== undefined) {
        const item = rt.store.items.get(itemKey) ?? findByNativeKey(rt.store, itemKey);
        if (!item) throw new PmoError('USAGE', `no stored item "${itemKey}"; keys look like <source>:<key>, e.g. demo:PAY-12`);
        const verdicts = itemVerdicts(rt.store, rt.ruleSetup, item);
        if (flag(args, 'json')) printJson(verdicts);
        else print(`${item.key} "${item.title}" (${item.type}, ${item.status}, ${item.project})\n` + table(['rule', 'severity', 'verdict', 'state', 'why'], verdicts.map((v) => [v.ruleId, v.severity, v.verdict, v.state ?? '—', v.message.length > 100 ? v.message.slice(0, 99) + '…' : v.message])));
        return 0;
      }
      const open = rt.store.findings.list({ state: 'open' });
      if (flag(args, 'json')) {
        printJson(open);
        return 0;
      }
      if (summary.items === 0) print('No items stored yet: run `pmo-bot sync` first.');
      print(renderFindings(open));
      print(
        `${summary.rules} rules over ${summary.items} items: ${open.length} open findings ` +
          `(${summary.findings.opened} new, ${summary.findings.reopened} reopened, ${summary.findings.resolved} resolved) in ${summary.seconds.toFixed(2)}s`,
      );
      return 0;
    } finally {
      rt.store.close();
    }
  },
};

export function renderFindings(findings: Finding[]): string {
  if (findings.length === 0) return 'No findings.';
  return table(
    ['severity', 'rule', 'subject', 'owner', 'state', 'message'],
    findings.map((f) => [f.severity, f.ruleId, displayKey(f), f.owner?.name ?? '—', f.state, f.message.length > 90 ? f.message.slice(0, 89) + '…' : f.message]),
  );
}

async function runDiff(args: ParsedArgs): Promise<number> {
  const proposedPath = str(args, 'config');
  if (proposedPath === undefined) throw new PmoError('USAGE', 'check --diff needs --config proposed.yaml (the configuration to compare)');
  const current = loadCliConfig({ config: str(args, 'against') ?? resolveConfigPath({ env: process.env, cwd: process.cwd(), bundledDefault: BUNDLED_CONFIG }).path });
  const proposed = loadCliConfig({ config: proposedPath });
  const rt = openRuntime(current);
  try {
    const diff = diffConfigs(rt.store, rt.ruleSetup, ruleSetup(proposed.config), rt.clock, current.config.timezone, rt.log);
    if (flag(args, 'json')) {
      printJson(diff);
      return 0;
    }
    const line = (sign: string, f: ReportedFinding) => `${sign} ${f.severity.padEnd(8)} ${f.ruleId.padEnd(28)} ${f.message}`;
    print(
      [
        ...diff.added.map((f) => line('+', f)),
        ...diff.removed.map((f) => line('-', f)),
        ...diff.changed.map((c) => `~ ${c.before.severity}→${c.after.severity} ${c.after.ruleId.padEnd(28)} ${c.after.message}`),
        `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} re-graded (nothing recorded or sent)`,
      ].join('\n'),
    );
    return 0;
  } finally {
    rt.store.close();
  }
}
