import { alignmentReport } from '../../alignment/report.ts';
import { renderAlignment } from '../../alignment/render.ts';
import { analyseStore } from '../../alignment/service.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
import { print, printJson } from '../output.ts';

export const alignmentCommand: Command = {
  name: 'alignment',
  summary: 'objective allocation, progress and forecast; the unaligned share',
  usage: 'pmo-bot alignment [--json]',
  details:
    'Maps every stored work item to an objective (or unaligned) through its hierarchy, and shows the effort share over the\n' +
    'window (alignment.windowDays, default 28) against each target share, progress, key results and Monte Carlo forecasts.\n' +
    '--json prints {window, objectives:[{id, title, share, points, items, progress, forecast, …}], unaligned, …}; see docs/alignment.md.',
  options: { ...COMMON_OPTIONS, ...JSON_OPTION },
  async run(args) {
    const cli = loadCliConfig({ config: str(args, 'config') });
    const rt = openRuntime(cli);
    try {
      const report = alignmentReport(analyseStore(rt.store, cli.config, rt.clock.now()));
      if (flag(args, 'json')) {
        for (const w of report.warnings) rt.log.warn({ warning: w }, 'Alignment warning');
        printJson(report);
      }
      else if (report.total.items === 0 && report.objectives.every((o) => o.mappedItems === 0)) print('No work items stored yet: run `pmo-bot sync` first.');
      else print(renderAlignment(report));
      return 0;
    } finally {
      rt.store.close();
    }
  },
};
