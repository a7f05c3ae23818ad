import { renderKpis } from '../../alignment/render.ts';
import { snapshotKpis } from '../../alignment/service.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
import { print, printJson } from '../output.ts';

export const kpisCommand: Command = {
  name: 'kpis',
  summary: 'flow KPIs per team and overall with week-over-week deltas, 12-week trends and capacity',
  usage: 'pmo-bot kpis [--json]',
  details:
    'Throughput, cycle and lead time (p50/p85), sprint predictability, on-time rate, blocked share, compliance % and\n' +
    'alignment %. Records this week\'s snapshot in the store (weeks before the first snapshot are back-filled from history).\n' +
    '--json prints {week, overall:{<kpi>:{value, previous, delta, trend}}, teams:[…], capacity:{people, teams}}; see docs/alignment.md.',
  options: { ...COMMON_OPTIONS, ...JSON_OPTION },
  async run(args) {
    const cli = loadCliConfig({ config: str(args, 'config') });
    const rt = openRuntime(cli);
    try {
      const report = snapshotKpis(rt.store, cli.config, rt.clock.now());
      if (flag(args, 'json')) printJson(report);
      else if (report.teams.length === 0) print('No work items stored yet: run `pmo-bot sync` first.');
      else print(renderKpis(report));
      return 0;
    } finally {
      rt.store.close();
    }
  },
};
