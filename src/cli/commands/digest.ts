import { deliverOutbox } from '../../notify/deliver.ts';
import { buildDigests, enqueueDigests } from '../../notify/digest.ts';
import { renderTerminal } from '../../notify/render-terminal.ts';
import { slackMode } from '../../worker/runtime.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
import { print, printJson } from '../output.ts';

export const digestCommand: Command = {
  name: 'digest',
  summary: 'render the weekly digest per audience (printed; --post sends it)',
  usage: 'pmo-bot digest [--post] [--json]',
  details: [
    'Builds this week\'s digest for the PMO channel (slack.channels.digest) and for every routed team channel',
    'from the stored findings (run `pmo-bot run --once` or `check` first). Without --post it is only printed.',
    '--post: puts the digests in the outbox (once per audience per week) and delivers them through Slack, or',
    'prints them in console mode; the week\'s health is recorded for next week\'s trends.',
    '--json: an array of {channel, text, blocks} (the Block Kit messages) instead of the rendering.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, post: { type: 'boolean' } },
  async run(args) {
    const cli = loadCliConfig({ config: str(args, 'config') });
    const rt = openRuntime(cli, { lock: flag(args, 'post') });
    try {
      if (flag(args, 'post')) {
        rt.store.outbox.recoverInterrupted();
        const queued = enqueueDigests(rt.store, rt.config, rt.clock, rt.extensions, (email) => rt.mentions.known(email));
        const delivery = await deliverOutbox({ store: rt.store, transport: rt.transport, clock: rt.clock, log: rt.log, pacer: rt.pacer });
        const summary = { queued, ...delivery, mode: slackMode(rt.config) };
        if (flag(args, 'json')) printJson(summary);
        else print(`digest: ${queued} queued (already posted this week when 0), ${delivery.sent} delivered via ${summary.mode}${delivery.failed ? `, ${delivery.failed} failed` : ''}${delivery.retrying ? `, ${delivery.retrying} to retry` : ''}`);
        return delivery.failed > 0 ? 1 : 0;
      }
      const digests = buildDigests(rt.store, rt.config, rt.clock.now(), rt.extensions);
      if (flag(args, 'json')) {
        printJson(digests.map((d) => d.message));
        return 0;
      }
      const color = process.stdout.isTTY === true && !process.env['NO_COLOR'];
      const width = Math.min(process.stdout.columns || 100, 100);
      for (const d of digests) print(renderTerminal(d.message, { color, width }));
      return 0;
    } finally {
      rt.store.close();
    }
  },
};
