import type { CycleSummary } from '../../worker/cycle.ts';
import { runCycle } from '../../worker/cycle.ts';
import { slackMode } from '../../worker/runtime.ts';
import { startWorker } from '../../worker/worker.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime, warnUnmatchedObjectives } from '../context.ts';
import { plural, print, printJson } from '../output.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'run the worker: sync, evaluate and notify on the configured schedules',
  usage: 'pmo-bot run [--once] [--json]',
  details: [
    'Runs one cycle at start, then on schedules.sync (cron, in the configured timezone) until SIGINT/SIGTERM,',
    'which finish the current transaction, close the database and exit 0.',
    '--once: one full cycle (sync, evaluate, notify), a summary, then exit (0 ok, 1 the cycle failed).',
    '--json (with --once): the cycle summary as one JSON document instead of the text summary.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, once: { type: 'boolean' } },
  async run(args) {
    const cli = loadCliConfig({ config: str(args, 'config') });
    const rt = openRuntime(cli, { lock: true });
    warnUnmatchedObjectives(rt);
    if (flag(args, 'once')) {
      try {
        rt.store.outbox.recoverInterrupted();
        const summary = await runCycle(rt);
        if (flag(args, 'json')) printJson(summary);
        else print(renderCycle(summary, slackMode(cli.config)));
        return summary.ok ? 0 : 1;
      } finally {
        rt.store.close();
      }
    }
    const worker = startWorker(rt, {
      onCycle: (s) => cli.log.info({ runId: s.runId, ok: s.ok, seconds: Number(s.seconds.toFixed(2)), messages: s.messages }, 'Cycle finished'),
    });
    const onSignal = (signal: NodeJS.Signals) => void worker.stop(signal);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    await worker.stopped;
    return 0;
  },
};

/** What a PMO lead reads after a cycle: where the data came from, what the rules found, what was sent. */
export function renderCycle(s: CycleSummary, mode: string): string {
  const lines = [`pmo-bot cycle ${s.ok ? 'finished' : 'FAILED'} in ${s.seconds.toFixed(2)}s`];
  for (const r of s.sync) {
    const status = r.ok ? '' : `  FAILED: ${r.error}`;
    lines.push(
      `  sync    ${r.source} (${r.kind}): ${r.fetched} fetched, ${r.upserted} stored, ${r.removed} removed, ${r.quarantined} quarantined${status}`,
    );
  }
  const e = s.evaluation;
  if (e) {
    lines.push(
      `  check   ${plural(e.rules, 'rule')} over ${plural(e.items, 'item')}: ${e.findings.open} open findings ` +
        `(${e.findings.opened} new, ${e.findings.reopened} reopened, ${e.findings.resolved} resolved)`,
    );
  }
  if (s.health) {
    const h = s.health;
    lines.push(`  health  projects ${h.red} red, ${h.amber} amber, ${h.green} green; compliance ${Math.round(h.compliance * 100)}%`);
  }
  if (s.delivery) {
    const n = s.notify;
    const parts = n
      ? [
          n.alerts ? plural(n.alerts, 'alert') : '',
          n.resolvedReplies ? plural(n.resolvedReplies, 'thread reply', 'thread replies') : '',
          n.prompts.messages ? plural(n.prompts.messages, 'prompt DM') : '',
          n.held ? `${n.held} held for quiet hours` : '',
          n.overflow ? `${n.overflow} left to the digest` : '',
        ].filter(Boolean)
      : [];
    lines.push(`  notify  ${plural(s.messages, 'message')} queued${parts.length ? ` (${parts.join(', ')})` : ''}, ${s.delivery.sent} delivered via ${mode}` +
      (s.delivery.retrying ? `, ${s.delivery.retrying} to retry` : '') + (s.delivery.failed ? `, ${s.delivery.failed} failed` : ''));
  }
  if (s.outbox && (s.outbox.failed > 0 || s.outbox.uncertain > 0)) {
    lines.push(
      `  outbox  ${s.outbox.failed} failed, ${s.outbox.uncertain} uncertain (interrupted mid-send) kept in the outbox table with their errors; ${s.outbox.pending} waiting for a retry`,
    );
  }
  if (s.error) lines.push(`  error   ${s.error}`);
  if (s.sync.some((r) => r.quarantined > 0)) lines.push('  see quarantined payloads with: pmo-bot items --quarantined');
  return lines.join('\n');
}
