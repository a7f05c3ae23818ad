import { alignmentReport, epicForecasts } from '../../alignment/report.ts';
import { renderForecasts } from '../../alignment/render.ts';
import { analyseStore } from '../../alignment/service.ts';
import { PmoError } from '../../util/errors.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
import { print, printJson } from '../output.ts';

export const forecastCommand: Command = {
  name: 'forecast',
  summary: 'Monte Carlo forecasts for objectives and open epics (P50/P85/P95, probability by target date)',
  usage: 'pmo-bot forecast [OBJECTIVE] [--json]',
  details:
    'Without OBJECTIVE: every objective and every open epic. With it: that objective, its epics and the throughput\n' +
    'samples used. --json prints {objectives:[{id, title, targetDate, forecast}], epics:[{key, title, objective, dueDate, forecast}]}.',
  options: { ...COMMON_OPTIONS, ...JSON_OPTION },
  async run(args) {
    const id = args.positionals[0];
    if (args.positionals.length > 1) throw new PmoError('USAGE', 'forecast takes at most one objective id');
    const cli = loadCliConfig({ config: str(args, 'config') });
    if (id !== undefined && !cli.config.objectives.some((o) => o.id === id)) {
      const known = cli.config.objectives.map((o) => o.id);
      throw new PmoError('USAGE', `unknown objective "${id}"; configured: ${known.length ? known.join(', ') : 'none'}`);
    }
    const rt = openRuntime(cli);
    try {
      const analysis = analyseStore(rt.store, cli.config, rt.clock.now());
      const report = alignmentReport(analysis);
      const objectives = report.objectives.filter((o) => id === undefined || o.id === id);
      const epics = cli.config.alignment.forecast.epics ? epicForecasts(analysis).filter((e) => id === undefined || e.objective === id) : [];
      if (flag(args, 'json')) {
        printJson({
          generatedAt: report.generatedAt,
          objectives: objectives.map((o) => ({ id: o.id, title: o.title, targetDate: o.targetDate, health: o.health, progress: { done: o.progress.done, total: o.progress.total }, forecast: o.forecast })),
          epics,
        });
      } else if (objectives.every((o) => o.mappedItems === 0) && epics.length === 0) {
        print(objectives.length === 0 ? 'No objectives configured and no open epics stored (run `pmo-bot sync` first).' : 'No work is mapped to the objectives yet: run `pmo-bot sync` first, or check their match.');
      } else print(renderForecasts(objectives, epics));
      return 0;
    } finally {
      rt.store.close();
    }
  },
};
