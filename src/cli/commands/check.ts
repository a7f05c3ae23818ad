import { evaluate } from '../../engine/evaluate.ts';
import type { Finding } from '../../model/finding.ts';
import { displayKey } from '../../notify/blocks/alerts.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
import { printJson, print, table } from '../output.ts';

export const checkCommand: Command = {
  name: 'check',
  summary: 'evaluate the rules over the stored items and print the open findings',
  usage: 'pmo-bot check [--json]',
  details: 'Records the findings (new, ongoing, resolved) like a worker cycle, without syncing or notifying.\n--json prints an array of Finding.',
  options: { ...COMMON_OPTIONS, ...JSON_OPTION },
  async run(args) {
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
